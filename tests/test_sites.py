"""Docs sites: routes, front matter slugs and ids, index pages, and each renderer's heading
ids, on small fixture sites of each dialect."""

from __future__ import annotations

from conftest import check_json, installed

DOCUSAURUS = {
    "website/docusaurus.config.js": "module.exports = { presets: [['classic', { docs: { routeBasePath: 'docs' } }]] };\n",
    "website/static/img/logo.png": b"\x89PNG",
    "website/docs/intro.md": "---\nid: start\n---\n# Intro\n",
    "website/docs/api/index.md": "# API\n",
    "website/docs/api/props.md": "# Props\n\n## Render the view {#render}\n\n## Café menu\n",
    "website/docs/guides/01-setup.md": "# Setup\n",
    "website/docs/moved.md": "---\nslug: /custom/place\n---\n# Moved\n",
    "website/blog/2024-05-01-hello.md": "# Hello\n",
    "website/docs/api/hooks.md": (
        "# Hooks\n\n"
        "[a](/docs/api) [b](/docs/api/props#render) [c](props#render) [d](/docs/guides/setup)\n"
        "[e](/docs/custom/place) [f](/docs/start) [g](/img/logo.png) [h](/blog/2024/05/01/hello)\n"
        "[i](/blog/archive) [j](/pricing) [k](./props.md#café-menu) [l](/docs/api/props.md)\n"
        "[m](/docs/api/nope) [n](/docs/api/props#missing) [o](propz) [p](/img/nope.png)\n"
        "[q](#hooks) [r](#render)\n"),
}


def test_docusaurus_routes_front_matter_and_custom_ids(repo):
    root = repo(DOCUSAURUS, with_runtime=False)
    found = check_json(root).json["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in found] == [
        ("DL006", 6, 5), ("DL007", 6, 25), ("DL006", 6, 54), ("DL006", 6, 65), ("DL007", 7, 17)]


def test_docusaurus_versions_and_a_doc_outside_the_site(repo):
    root = repo({
        "website/docusaurus.config.js": "module.exports = { presets: [['classic', { docs: { lastVersion: 'current',"
                                        " versions: { '1.x': { path: 'v1' } } } }]] };\n",
        "website/versions.json": '["1.x"]\n',
        "website/docs/now.md": "# Now\n\n[old](/docs/v1/then) [gone](/docs/v1/gone) [cur](/docs/now)\n",
        "website/versioned_docs/version-1.x/then.md": "# Then\n",
        "README.md": "# Readme\n\n[site](/docs/now)\n",  # GitHub's reading: a path from the root
    }, with_runtime=False)
    assert check_json(root).codes() == [("DL006", "README.md", 3), ("DL006", "website/docs/now.md", 3)]


def test_mkdocs_slugs_and_index_pages(repo):
    root = repo({
        "mkdocs.yml": "site_name: x\ndocs_dir: 'pages'\n",
        "pages/guide/index.md": "# Guide\n\n## Café setup\n\n## Setup\n\n## Setup\n",
        "pages/other.md": ("# Other\n\n[a](guide/index.md#cafe-setup) [b](guide/index.md#setup_1) [c](/guide/)\n"
                           "[d](guide/index.md#café-setup) [e](guide/index.md#setup-1)\n"),
    }, with_runtime=False)
    found = check_json(root).json["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in found] == [("DL007", 4, 5), ("DL007", 4, 36)]


def test_vitepress_routes_and_slugs(repo):
    root = repo({
        "docs/.vitepress/config.ts": "export default { title: 'x' }\n",
        "docs/guide/index.md": "# Guide\n",
        "docs/public/logo.svg": "<svg/>",
        "docs/guide/intro.md": ("# What's new in 2.0?\n\n## Options {#opts}\n\n"
                                "[a](/guide/intro#what-s-new-in-2-0) [b](./intro.md#opts) [c](/guide/) [d](/logo.svg)\n"
                                "[e](/guide/intro.html) [f](./index) [g](/guide/missing) [h](#what-s-new-in-20)\n"),
    }, with_runtime=False)
    found = check_json(root).json["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in found] == [("DL006", 6, 41), ("DL007", 6, 61)]


def test_starlight_lowercases_routes_and_keeps_github_ids(repo):
    root = repo({
        "site/astro.config.mjs": "import starlight from '@astrojs/starlight';\nexport default { integrations: [starlight()] };\n",
        "site/src/content/docs/guides/Getting-Started.md": "# Start {#s}\n",
        "site/src/content/docs/index.md": ("# Home\n\n[a](/guides/getting-started/#start-s) [b](/guides/nope/)\n"
                                           "[c](/guides/getting-started/#s)\n"),
    }, with_runtime=False)
    found = check_json(root).json["findings"]
    assert [(f["code"], f["line"]) for f in found] == [("DL006", 3), ("DL007", 4)]


def test_site_setting_overrides_detection(repo):
    files = dict(DOCUSAURUS)
    files["doclint.toml"] = 'docs = ["**/*.md"]\nsite = "github"\n'
    root = repo(files, with_runtime=False)
    assert len(check_json(root).json["findings"]) > 5  # routes read as paths from the root again
    (root / "doclint.toml").write_text('site = "jekyll"\n')
    result = installed(["check", "--root", str(root)], cwd=root)
    assert result.returncode == 2 and "site" in result.stderr and "Traceback" not in result.stderr


def test_docusaurus_plugin_instances_and_template_strings(repo):
    root = repo({
        "site/docusaurus.config.ts": (
            "const url = 'x';\nexport default {\n  presets: [['classic', { docs: { editUrl: `${url}/edit/`,"
            " path: '../guides', routeBasePath: 'guides' } }]],\n"
            "  plugins: [['@docusaurus/plugin-content-blog', { path: 'news', routeBasePath: 'news' }]],\n};\n"
            "const more = { path: '../../reference', routeBasePath: '/' };\n"),
        "guides/start.md": "# Start\n\n[a](/guides/start) [b](/api/run) [c](/news/2024/anything) [d](/guides/gone)\n",
        "reference/api/run.md": "# Run\n",
    }, with_runtime=False)
    assert check_json(root).codes() == [("DL006", "guides/start.md", 3)]


def test_a_moved_page_is_seen_by_a_cached_run(repo):
    root = repo({
        "docusaurus.config.js": "module.exports = {};\n",
        "docs/a.md": "# A\n\n[b](/docs/b)\n",
        "docs/b.md": "# B\n",
    }, with_runtime=False)
    assert check_json(root).codes() == []
    (root / "docs/b.md").write_text("---\nslug: /elsewhere\n---\n# B\n")
    assert check_json(root).codes() == [("DL006", "docs/a.md", 3)]


def test_an_id_on_a_jsx_tag_is_an_anchor_behind_a_route(repo):
    root = repo({
        "docusaurus.config.js": "module.exports = {};\n",
        "docs/parser.mdx": "# Parser\n\n<HiddenHeading id=\"old_option\" />\n\n## Options\n",
        "docs/a.md": "# A\n\n[x](/docs/parser#old_option) [y](/docs/parser#options) [z](/docs/parser#gone)\n",
    }, with_runtime=False)
    assert check_json(root).codes() == [("DL007", "docs/a.md", 3)]


def test_a_folder_a_generator_serves_with_its_variants(repo):
    # `test-api/` is published with `api/`: `./api/class-runner.md` is its page there. A page
    # moved to an unrelated sibling folder (`reference/`) is still a rename to report.
    root = repo({"docs/src/test-api/class-runner.md": "# Runner\n", "docs/src/api/class-page.md": "# Page\n",
                 "docs/src/reference/setup.md": "# Setup\n",
                 "docs/src/guide.md": "[r](./api/class-runner.md) [route](./api/class-runner) [p](./api/class-page.md)\n"
                                      "[moved](./guides/setup.md) [gone](./api/class-gone.md)\n"}, with_runtime=False)
    found = [(f["code"], f["target"]) for f in check_json(root).json["findings"]]
    assert found == [("DL002", "./guides/setup.md"), ("DL006", "./api/class-gone.md")]


def test_assets_a_framework_serves_from_public_or_static(repo):
    root = repo({"apps/site/public/images/chart.png": b"\x89PNG",
                 "content/guide.md": "![chart](/images/chart.png) ![gone](/images/gone.png) [p](/nothing.md)\n"},
                with_runtime=False)
    found = [(f["code"], f["target"]) for f in check_json(root).json["findings"]]
    assert found == [("DL006", "/images/gone.png"), ("DL006", "/nothing.md")]
