"""A route the repository's site redirects is not a broken link: vercel.json, netlify.toml,
`_redirects`, a Next.js config and the modules it imports, Astro's `redirects` keys, and
path parameters; a route no redirect covers is still reported."""

from __future__ import annotations

import json

from conftest import installed

LINKS = "[a](/old/setup) [b](/blog/2024/post) [c](/never/redirected)\n"


def _broken(root) -> list[str]:
    result = installed(["check", "--root", str(root), "--no-cache", "--format", "json"], cwd=root)
    assert "Traceback" not in result.stderr
    return [f["target"] for f in json.loads(result.stdout)["findings"] if f["code"] == "DL006"]


def test_vercel_json_redirects_with_a_parameter(repo):
    root = repo({"vercel.json": json.dumps({"redirects": [
                     {"source": "/old/setup", "destination": "/guide", "permanent": True},
                     {"source": "/blog/:slug*", "destination": "/news/:slug*"}]}),
                 "content/intro.md": LINKS}, with_runtime=False)
    assert _broken(root) == ["/never/redirected"]


def test_next_config_reads_the_module_it_imports(repo):
    root = repo({
        "apps/docs/next.config.ts": (
            "import { moved } from './lib/moved';\n"
            "export default { async redirects() { return [...moved, "
            "{ source: '/blog/[...rest]', destination: '/news', permanent: true }]; },\n"
            "  async headers() { return [{ source: '/:path*', headers: [] }]; } };\n"),
        "apps/docs/lib/moved.ts": "export const moved = [{ source: '/old/setup', destination: '/guide' }];\n",
        "content/intro.md": LINKS}, with_runtime=False)
    assert _broken(root) == ["/never/redirected"]


def test_netlify_redirects_file_and_toml(repo):
    root = repo({"site/_redirects": "# moved pages\n/old/setup  /guide  301\n/blog/*  /news/:splat\n/*  /index.html  200\n",
                 "netlify.toml": '[[redirects]]\nfrom = "/never/:one"\nto = "/x"\n',
                 "content/intro.md": LINKS + "[d](/never/redirected/twice)\n"}, with_runtime=False)
    # `:one` takes one segment, not two; the fallback `/*` hides nothing
    assert _broken(root) == ["/never/redirected/twice"]


def test_astro_redirect_keys(repo):
    root = repo({"astro.config.mjs": ("export default defineConfig({ redirects: {\n"
                                      "  '/old/setup': '/guide',\n  '/blog/[...slug]': '/news' } });\n"),
                 "content/intro.md": LINKS}, with_runtime=False)
    assert _broken(root) == ["/never/redirected"]


def test_without_redirects_every_route_is_reported(repo):
    root = repo({"vercel.json": "{ not json", "content/intro.md": LINKS}, with_runtime=False)
    assert _broken(root) == ["/old/setup", "/blog/2024/post", "/never/redirected"]


def test_the_cache_sees_a_redirect_removed(repo):
    root = repo({"vercel.json": json.dumps({"redirects": [{"source": "/old/setup", "destination": "/x"}]}),
                 "content/intro.md": "[a](/old/setup)\n"}, with_runtime=False)
    cached = ["check", "--root", str(root), "--format", "json"]
    assert json.loads(installed(cached, cwd=root).stdout)["findings"] == []
    (root / "vercel.json").write_text(json.dumps({"redirects": []}))
    assert [f["target"] for f in json.loads(installed(cached, cwd=root).stdout)["findings"]] == ["/old/setup"]
