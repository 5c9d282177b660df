"""Documentation sites: where a site serves each page, and how its links and heading ids work.

A site is found by its config file (`docusaurus.config.js`, `mkdocs.yml`,
`.vitepress/config.ts`, `astro.config.mjs` using Starlight) or named by config
(`site = "docusaurus"`). Docs inside a site's content folders are read with its rules:
`/docs/api` is a route, not a path from the repository's root; `props` next to a page is
the page beside it; `slug:` and `id:` front matter move a page; `index.md` and `README.md`
are their folder's page; heading ids are the renderer's own (doclint/slugs.py).

A route is reported broken only when the site is known to own it: it falls under a
content folder's route and its parent route holds pages. Anything else (a blog post's
dated route, a plugin's generated pages) is not reported.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple
from weakref import WeakKeyDictionary

from doclint.init import SITE_CONFIGS
from doclint.mdrefs import DocScan, front_matter_scalars, split_front_matter
from doclint.slugs import Dialect, dialect_anchors, github_slug
from doclint.tree import FileTree, text_lines
from doclint.workspace import MARKDOWN_EXTENSIONS, Project, Workspace

_DOCUSAURUS, _VITEPRESS = SITE_CONFIGS["docusaurus"], SITE_CONFIGS["vitepress"]
_ASTRO, _MKDOCS = SITE_CONFIGS["starlight"], SITE_CONFIGS["mkdocs"]
_NUMBER_PREFIX = re.compile(r"^\d+[-_.\s]+(?=.)")  # Docusaurus drops `01-` from file and folder names
_PAGE_EXTENSIONS: tuple[str, ...] = (*MARKDOWN_EXTENSIONS, ".js", ".jsx", ".ts", ".tsx")
_DATED = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)$")
_LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


@dataclass(frozen=True)
class Content:
    """A folder of pages and the route it is served at ("" for the site's top)."""

    folder: str  # relative to the root; "" for the root itself
    route: str
    kind: Literal["docs", "blog", "pages"] = "docs"  # Docusaurus blog and pages are served, but never reported broken


@dataclass
class Site:
    dialect: Dialect
    folder: str  # where the config file is
    contents: list[Content]
    static: list[str]  # folders served as they are at the site's top (`static/`, `public/`)
    base: str = ""  # Starlight/Astro `base`: every written route starts with it
    routes: dict[str, str] | None = None  # route -> page, built on first use
    prefixes: set[str] = field(default_factory=set)  # every route that holds pages
    pages: dict[str, str] = field(default_factory=dict)  # page -> its route

    def owns(self, path: str) -> bool:
        return any(_inside(path, c.folder) for c in self.contents)


@dataclass(frozen=True)
class Routed:
    status: Literal["found", "missing"]
    path: str | None = None  # the page (or static file) found


def _inside(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


_SITES: WeakKeyDictionary[Workspace, list[Site]] = WeakKeyDictionary()


def sites(ws: Project) -> list[Site]:
    shared = ws.shared  # one detection per run, whichever doc's context asks
    if shared not in _SITES:
        _SITES[shared] = _detect(ws)
    return _SITES[shared]


def site_of(ws: Project, doc_path: str) -> Site | None:
    """The site a doc is a page of (the innermost one), or None: then GitHub's rules hold."""
    owning = [s for s in sites(ws) if s.owns(doc_path)]
    return max(owning, key=lambda s: len(s.folder)) if owning else None


def _detect(ws: Project) -> list[Site]:
    configured = ws.config.site
    if configured == "github":
        return []
    tree = ws.trees[0]
    found: list[Site] = []
    for path in sorted(tree.files):
        name = path.rsplit("/", 1)[-1]
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        if any(part in ("node_modules", "dist", "build") for part in path.split("/")):
            continue
        if name in _DOCUSAURUS and configured in (None, "docusaurus"):
            found.append(_docusaurus(ws, folder, tree.read_text(path) or ""))
        elif name in _MKDOCS and configured in (None, "mkdocs"):
            found.append(_mkdocs(folder, tree.read_text(path) or "", tree))
        elif any(path == v or path.endswith("/" + v) for v in _VITEPRESS) and configured in (None, "vitepress"):
            top = folder.rsplit("/", 1)[0] if "/" in folder else ""
            found.append(_vitepress(top, tree.read_text(path) or ""))
        elif name in _ASTRO and configured in (None, "starlight"):
            text = tree.read_text(path) or ""
            if "starlight" in text or configured == "starlight":
                found.append(_starlight(folder, text))
    if configured and not found:  # named, but no config file: the defaults, from the root
        defaults: dict[str, Callable[[], Site]] = {
            "docusaurus": lambda: _docusaurus(ws, "", ""), "mkdocs": lambda: _mkdocs("", "", tree),
            "vitepress": lambda: _vitepress("", ""), "starlight": lambda: _starlight("", "")}
        found.append(defaults[configured]())
    return found


def _string_option(text: str, key: str) -> str | None:
    match = re.search(rf"\b{key}\s*:\s*['\"]([^'\"]*)['\"]", text)
    return match.group(1) if match else None


def _join(*parts: str) -> str:
    joined = "/".join(p.strip("/") for p in parts if p.strip("/"))
    return posixpath.normpath(joined) if joined else ""


def _docusaurus(ws: Project, folder: str, config: str) -> Site:
    config = re.sub(r"\$\{[^{}]*\}", "", _LINE_COMMENT.sub("", config))  # `${x}` in template strings is no object
    contents = [Content(_join(folder, path), "/" + base.strip("/")) for path, base in _docs_instances(config)]
    base = contents[0].route.strip("/")  # versions belong to the first docs instance
    versions_file = ws.trees[0].read_text(_join(folder, "versions.json"))
    try:
        versions = json.loads(versions_file) if versions_file else []
    except ValueError:
        versions = []
    last = _string_option(config, "lastVersion")
    for number, version in enumerate(v for v in versions if isinstance(v, str)):
        option = re.search(rf"['\"]{re.escape(version)}['\"]\s*:\s*\{{([^{{}}]*)", config)
        path = (_string_option(option.group(1), "path") if option else None)
        if path is None:
            path = "" if (last == version or (last is None and number == 0)) else version
        contents.append(Content(_join(folder, "versioned_docs", f"version-{version}"), "/" + _join(base, path)))
    if versions and last != "current":  # the current docs move to `next` unless they are the last version
        current = re.search(r"\bcurrent\s*:\s*\{([^{}]*)", config)
        path = (_string_option(current.group(1), "path") if current else None) or "next"
        contents[0] = Content(contents[0].folder, "/" + _join(base, path))
    blog = re.search(r"\bblog\s*:\s*\{([^{}]*)", config)
    blog_base = (_string_option(blog.group(1), "routeBasePath") if blog else None) or "blog"
    contents.append(Content(_join(folder, "blog"), "/" + blog_base.strip("/"), kind="blog"))
    contents.append(Content(_join(folder, "src/pages"), "", kind="pages"))
    return Site("docusaurus", folder, contents, [_join(folder, "static")])


def _docs_instances(config: str) -> list[tuple[str, str]]:
    """(content folder, route base) of each docs plugin instance: the preset's `docs:`
    options (read up to their first nested object), and every innermost object that sets
    `routeBasePath` outside a blog or pages plugin; the defaults without one."""
    found = []
    for options in re.finditer(r"\bdocs\s*:\s*\{([^{}]*)", config):
        base = _string_option(options.group(1), "routeBasePath")
        found.append((_string_option(options.group(1), "path") or "docs", "docs" if base is None else base))
    for block in re.finditer(r"\{([^{}]*)\}", config):
        key = re.search(r"(\w+)\s*:\s*$", config[: block.start()])
        plugin = re.findall(r"plugin-content-(\w+)", config[max(0, block.start() - 200): block.start()])
        if (key is not None and key.group(1) in ("docs", "blog", "pages")) or (plugin and plugin[-1] != "docs"):
            continue
        base = _string_option(block.group(1), "routeBasePath")
        if base is not None:
            found.append((_string_option(block.group(1), "path") or "docs", base))
    return list(dict.fromkeys(found)) or [("docs", "docs")]


def _mkdocs(folder: str, config: str, tree: FileTree) -> Site:
    match = re.search(r"^docs_dir\s*:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(?:#.*)?$", config, re.MULTILINE)
    docs = _join(folder, match.group(1) if match else "docs")
    return Site("mkdocs", folder, [Content(docs, "")], [])


def _vitepress(folder: str, config: str) -> Site:
    source = _join(folder, _string_option(config, "srcDir") or "")
    return Site("vitepress", folder, [Content(source, "")], [_join(source, "public")])


def _starlight(folder: str, config: str) -> Site:
    base = (_string_option(config, "base") or "").strip("/")
    docs = _join(folder, "src/content/docs")
    return Site("starlight", folder, [Content(docs, "")], [_join(folder, "public")], base=base)


# --------------------------------------------------------------------------- routes


def _routes(ws: Project, site: Site) -> dict[str, str]:
    """Every page's route (no trailing slash, "/" for the top) -> its file."""
    if site.routes is None:
        site.routes = {}
        tree = ws.trees[0]
        for content in site.contents:
            for path in sorted(tree.files):
                if not _inside(path, content.folder) or not path.lower().endswith(
                        _PAGE_EXTENSIONS if content.kind == "pages" else MARKDOWN_EXTENSIONS):
                    continue
                rel = path[len(content.folder) + 1:] if content.folder else path
                if content.kind != "docs" and any(part.startswith("_") for part in rel.split("/")):
                    continue
                route = _route_of(ws, site, content, path, rel)
                if route is not None:
                    site.routes.setdefault(route, path)
                    site.pages.setdefault(path, route)
                    parts = route.split("/")
                    site.prefixes.update("/".join(parts[:i]) or "/" for i in range(1, len(parts)))
    return site.routes


def _route_of(ws: Project, site: Site, content: Content, path: str, rel: str) -> str | None:
    folder, _, name = rel.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    front = _front_matter(ws, path) if content.kind != "pages" else {}
    if content.kind == "blog":  # `2024-05-23-name.md` is served at /blog/2024/05/23/name
        dated = _DATED.match(rel.rsplit("/index.", 1)[0].rsplit(".", 1)[0] if rel.count("/") <= 1 else "")
        slug = front.get("slug")
        if slug is not None:
            return _clean(slug if slug.startswith("/") else content.route + "/" + slug)
        if dated is None:
            return _clean(content.route + "/" + rel.rsplit(".", 1)[0])
        return _clean("/".join((content.route, *dated.group(1, 2, 3), dated.group(4))))
    if site.dialect == "docusaurus":
        folder = "/".join(_NUMBER_PREFIX.sub("", part) for part in folder.split("/")) if folder else ""
        slug = front.get("slug")
        if slug is not None:
            return _clean(content.route + "/" + slug if slug.startswith("/") else
                          "/".join((content.route, folder, slug)))
        leaf = front.get("id") or _NUMBER_PREFIX.sub("", stem)
        if "id" not in front and (stem.lower() in ("index", "readme") or
                                  (folder and stem == folder.rsplit("/", 1)[-1])):
            leaf = ""
        return _clean("/".join((content.route, folder, leaf)))
    if site.dialect == "starlight":
        slug = front.get("slug")
        if slug is not None:
            return _clean("/" + slug)
        parts = [github_slug(p) for p in (folder.split("/") if folder else [])]
        if stem.lower() != "index":
            parts.append(github_slug(stem))
        return _clean("/" + "/".join(parts))
    leaf = "" if stem.lower() == "index" or (site.dialect == "mkdocs" and stem.lower() == "readme") else stem
    return _clean("/".join((content.route, folder, leaf)))


def _clean(route: str) -> str:
    route = posixpath.normpath("/" + route.strip("/")) if route.strip("/") else "/"
    return route


def _front_matter(ws: Project, path: str) -> dict[str, str]:
    text = ws.trees[0].read_text(path)
    if text is None:
        return {}
    lines = text_lines(text)
    _text, count = split_front_matter(text, lines)
    return front_matter_scalars(lines, count, frozenset({"slug", "id"})) if count else {}


def route(ws: Project, site: Site, target: str, doc_path: str) -> Routed | None:
    """What a link (its path part) from a page of the site leads to; None when the site
    cannot say (not one of its routes, or a route it does not own)."""
    routes = _routes(ws, site)
    if site.dialect == "docusaurus" and target.lower().endswith((".md", ".mdx")):
        return _markdown_file(ws, site, target, doc_path)
    if target.startswith("/"):
        candidates = [target]
    else:  # relative to the page's URL, with or without a trailing slash: either is served
        page = _page_route(ws, site, doc_path)
        if page is None:
            return None
        candidates = [posixpath.join(page.rsplit("/", 1)[0] or "/", target), posixpath.join(page, target)]
        if site.dialect in ("mkdocs", "vitepress"):  # these resolve relative links from the file
            candidates.append(posixpath.join("/" + posixpath.dirname(_in_content(site, doc_path)), target))
    owned = False
    for candidate in candidates:
        found, owns = _lookup(ws, site, routes, candidate)
        if found is not None:
            return Routed("found", found)
        owned = owned or owns
    return Routed("missing") if owned else None


def _markdown_file(ws: Project, site: Site, target: str, doc_path: str) -> Routed:
    """Docusaurus links to a Markdown file by its path: `./x.md` from the file's folder,
    `/x.md` from each content folder then the site's, `x.md` from all three."""
    folders = [] if target.startswith(("./", "../")) else [c.folder for c in site.contents if c.kind != "pages"]
    folders.append(site.folder)
    if not target.startswith("/"):
        folders.insert(0, posixpath.dirname(doc_path))
    for folder in dict.fromkeys(folders):
        candidate = posixpath.normpath(posixpath.join(folder, target.lstrip("/")))
        if not candidate.startswith("../") and ws.trees[0].is_file(candidate):
            return Routed("found", candidate)
    return Routed("missing")


def _in_content(site: Site, path: str) -> str:
    folder = next((c.folder for c in site.contents if _inside(path, c.folder)), "")
    return path[len(folder) + 1:] if folder else path


def _page_route(ws: Project, site: Site, doc_path: str) -> str | None:
    _routes(ws, site)
    return site.pages.get(doc_path)


def _lookup(ws: Project, site: Site, routes: dict[str, str], written: str) -> tuple[str | None, bool]:
    """(page or static file, whether the site owns this route)."""
    written = written.split("?", 1)[0]
    if site.base:
        if not (written.strip("/") + "/").startswith(site.base + "/"):
            return None, False  # Astro serves nothing outside its base
        written = "/" + written.strip("/")[len(site.base):]
    tree = ws.trees[0]
    for folder in site.static:
        candidate = _join(folder, written)
        if tree.is_file(candidate):
            return candidate, True
    route = _clean(posixpath.normpath(written))
    for extension in (".html", ".md", ".mdx"):
        if route.endswith(extension):
            route = route[: -len(extension)]
    if route.endswith("/index"):
        route = route[: -len("/index")] or "/"
    if route in routes:
        return routes[route], True
    lowered = {r.lower(): p for r, p in routes.items()}
    if route.lower() in lowered:
        return lowered[route.lower()], True
    if "." in route.rsplit("/", 1)[-1]:  # a file: missing only when its folder is a static one that exists
        parent = posixpath.dirname(written.strip("/"))
        return None, bool(parent) and any(tree.is_dir(_join(folder, parent)) for folder in site.static)
    parent = route.rsplit("/", 1)[0] or "/"
    owned_route = any(c.kind == "docs" and _inside(route.lstrip("/"), c.route.strip("/")) for c in site.contents)
    return None, owned_route and parent.lower() in {p.lower() for p in site.prefixes}


# --------------------------------------------------------------------------- anchors


def anchors(site: Site | None, scan: DocScan) -> set[str]:
    """The ids a page's headings get on the site (GitHub's when it is not a site page),
    with the page's explicit `<a id>` anchors."""
    if site is None or site.dialect == "github":
        return scan.anchors
    github = {slug for _line, _text, slug in scan.headings}
    explicit = scan.anchors - github
    return explicit | dialect_anchors([text for _line, text, _slug in scan.headings], site.dialect)


def generated_folders(ws: Project) -> tuple[str, ...]:
    """Folders an API-reference generator writes (TypeDoc's `out`): their pages exist only
    after a build. Read from `typedoc.json`, `typedoc.config.*` and package.json `typedocOptions`."""
    shared = ws.shared
    if shared not in _GENERATED:
        tree = ws.trees[0]
        found: list[str] = []
        for name in _TYPEDOC_CONFIGS + ("package.json",):
            for path in tree.by_basename.get(name, ()):
                if any(part in ("node_modules", "dist", "build") for part in path.split("/")):
                    continue
                text = tree.read_text(path) or ""
                if name == "package.json" and "typedocOptions" not in text:
                    continue
                match = _OUT_OPTION.search(text)
                out = match.group(1) if match else None
                if out and not out.startswith(("/", "~")):
                    folder = _join(posixpath.dirname(path), out)
                    if folder and not folder.startswith(".."):
                        found.append(folder)
        _GENERATED[shared] = tuple(sorted(set(found)))
    return _GENERATED[shared]


def in_generated_folder(ws: Project, path: str) -> bool:
    return any(_inside(path.strip("/"), folder) for folder in generated_folders(ws))


_TYPEDOC_CONFIGS = ("typedoc.json", "typedoc.config.js", "typedoc.config.mjs", "typedoc.config.cjs",
                    "typedoc.config.ts", "typedoc.js", "typedoc.mjs", "typedoc.cjs")
_OUT_OPTION = re.compile(r"""["']?\bout["']?\s*:\s*["']([^"']+)["']""")
_GENERATED: WeakKeyDictionary[Workspace, tuple[str, ...]] = WeakKeyDictionary()


def context(ws: Project) -> str:
    """What the sites' routes depend on beyond the file listing, for cache keys: their
    config files and the selected pages' contents (front matter moves pages), and the
    folders an API generator writes."""
    parts = [f"generated {' '.join(generated_folders(ws))}"]
    for site in sites(ws):
        parts.append(f"{site.dialect} {site.folder} {site.contents} {site.static} {site.base}")
        for path, hashed in sorted(ws.hashed_docs.items()):
            if site.owns(path):
                parts.append(f"{path} {hashed.sha}")
    return "\n".join(parts)


# ------------------------------------------------------------------ sites doclint has no dialect for

_UNKNOWN_NUMBER_PREFIX = re.compile(r"^\d+[-_.]")  # `01-intro.md` served as `intro`
_UNKNOWN_PAGE_EXTENSIONS = (".md", ".mdx", ".markdown", ".html")
_INDEX_NAMES = ("index", "readme")


def _page_key(path: str) -> tuple[str, ...]:
    """A page's path as a route reads it: folders and name without number prefixes
    (`03-guides/01-setup.mdx` is `guides/setup`), no extension, no `index`, lower case."""
    parts = [p for p in path.lower().split("/") if p]
    if parts:
        last = parts[-1]
        for extension in _UNKNOWN_PAGE_EXTENSIONS:
            if last.endswith(extension):
                last = last[: -len(extension)]
                break
        parts[-1] = last
        if parts[-1] in _INDEX_NAMES:
            parts.pop()
    return tuple(_UNKNOWN_NUMBER_PREFIX.sub("", p) for p in parts)


def unknown_site_page(ws: Project, target: str, doc_dir: str, index_page: bool = False) -> SitePage | None:
    """For a site doclint has no dialect for (a docs app over a `content/` folder, say): the
    page an extension-less route such as `/docs/guides/setup` or `./setup` names, matched
    against every page's path read as a route, or None. Only routes are read this way: a
    link with a file extension is a file link and follows GitHub's rules, except a
    root-absolute page link whose first folder the repository does not have
    (`/router/latest/docs/how-to/README.md`): that is the site's URL of a page, not a file."""
    last = target.rstrip("/").rsplit("/", 1)[-1]
    if not last:
        return None
    if "." in last and not _site_url_of_a_page(ws, target):
        return None
    joined = target if target.startswith("/") else posixpath.join("/" + doc_dir, target)
    wanted = _page_key(posixpath.normpath(joined))
    if not wanted:
        return None
    index = _unknown_site_index(ws)
    found = index.get(wanted)
    if found is None and index_page and not target.startswith("/") and doc_dir:
        # an index page is served at its folder's URL without a closing `/` (`/providers/ai`),
        # where a browser resolves `./x` from the folder above
        above = _page_key(posixpath.normpath(posixpath.join("/" + posixpath.dirname(doc_dir), target)))
        found = index.get(above) if above else None
    if found is None and not target.startswith("/"):
        return None
    if found is None:
        # A route under prefixes the site adds (`/router/latest/docs/x/y` for `docs/router/x/y`):
        # its longest tail that names a page, skipping a tail that only restarts at the same head.
        for size in range(len(wanted) - 1, 0, -1):
            found = index.get(wanted[-size:]) if wanted[:1] != wanted[-size:][:1] else None
            if found:
                return SitePage(found, exact=False)
    return SitePage(found, exact=True) if found else None


class SitePage(NamedTuple):
    """The page a route of an unknown site names; `exact` when the whole route matched, not
    only its tail (then the page is a likely one, and its ids say nothing certain)."""

    path: str
    exact: bool


def generated_by_the_site(target: str) -> bool:
    """`/llms.txt`, `/sitemap.xml`: a file at a site's root that its build writes."""
    return target.lstrip("/").lower() in _SITE_BUILD_FILES and target.startswith("/")


_SITE_BUILD_FILES = frozenset({"llms.txt", "llms-full.txt", "sitemap.xml", "robots.txt", "rss.xml", "atom.xml",
                               "feed.xml"})


def _site_url_of_a_page(ws: Project, target: str) -> bool:
    head = target.lstrip("/").split("/", 1)[0]
    return (target.startswith("/") and "/" in target.lstrip("/") and target.lower().endswith(_UNKNOWN_PAGE_EXTENSIONS)
            and not any(tree.is_dir(head) or tree.exists(head) for tree in ws.trees))


def _unknown_site_index(ws: Project) -> dict[tuple[str, ...], str]:
    """Every page's route key and each of its tails -> the page (the first one, in path order)."""
    cached = _UNKNOWN_SITE_PAGES.get(ws.shared)
    if cached is not None:
        return cached
    pages: dict[tuple[str, ...], str] = {}
    for path in sorted(ws.trees[0].files):
        if path.lower().endswith(_UNKNOWN_PAGE_EXTENSIONS):
            key = _page_key(path)
            for start in range(len(key)):
                pages.setdefault(key[start:], path)
    _UNKNOWN_SITE_PAGES[ws.shared] = pages
    return pages


_UNKNOWN_SITE_PAGES: WeakKeyDictionary[Workspace, dict[tuple[str, ...], str]] = WeakKeyDictionary()


def from_a_site_root(ws: Project, target: str, doc_dir: str) -> str | None:
    """`/network.md` in `docs/src/x.md`, when `docs/src` is what a docs generator serves from
    its root: the page under the nearest folder above the doc that holds it; "" when only
    generated variants of it are there; None when no folder above holds it."""
    folder = doc_dir
    while folder:
        candidate = posixpath.join(folder, target.lstrip("/"))
        if ws.trees[0].exists(candidate):
            return candidate.rstrip("/")
        if generated_variant(ws, "/" + candidate, ""):
            return ""
        folder = posixpath.dirname(folder)
    return None


_SERVED_AS_IS = frozenset({"public", "static"})  # folders web frameworks serve at the site's top
_SERVED_FOLDERS: WeakKeyDictionary[Workspace, list[str]] = WeakKeyDictionary()


def served_asset(ws: Project, target: str) -> str | None:
    """`/images/a.png` on a site doclint has no dialect for: the file under a `public/` or
    `static/` folder (Next.js, Vite, Astro, Docusaurus serve those at the top), or None."""
    if target.rstrip("/").rsplit("/", 1)[-1].lower().endswith(_UNKNOWN_PAGE_EXTENSIONS):
        return None  # a page, not an asset
    tree, run = ws.trees[0], ws.shared  # per run: a doc's context answers with the run's workspace
    if run not in _SERVED_FOLDERS:
        _SERVED_FOLDERS[run] = sorted(d for d in tree.dirs if d.rsplit("/", 1)[-1] in _SERVED_AS_IS)
    return next((candidate for folder in _SERVED_FOLDERS[run]
                 if tree.is_file(candidate := _join(folder, target))), None)


def generated_variant(ws: Project, target: str, doc_dir: str) -> bool:
    """`./api.md` (or the route `./api`) where only `api-js.md` and `api-python.md` exist
    beside it, or `./api/x.md` where `x.md` is in `test-api/` beside `api/`: pages a docs
    generator picks per language or variant, or folders it serves as one. Not a link
    doclint can judge."""
    joined = posixpath.normpath(posixpath.join(doc_dir, target.rstrip("/"))).lstrip("/")
    folder, name = posixpath.split(joined)
    stem, extension = posixpath.splitext(name)
    if extension.lower() not in ("", ".md", ".mdx") or not stem:
        return False
    by_basename = ws.trees[0].by_basename
    if any(base.startswith(stem + "-") and base.endswith(extension or (".md", ".mdx"))
           and any(posixpath.dirname(p) == folder for p in paths)
           for base, paths in by_basename.items()):
        return True
    parent, section = posixpath.split(folder)
    names = (name,) if extension else (stem + ".md", stem + ".mdx")
    return bool(section) and any(
        posixpath.dirname(posixpath.dirname(p)) == parent
        and _variant_of(posixpath.basename(posixpath.dirname(p)), section)
        for n in names for p in by_basename.get(n, ()))


def _variant_of(folder: str, section: str) -> bool:
    """`test-api` and `api-v2` are variants of the section `api`."""
    return folder.startswith(section + "-") or folder.endswith("-" + section)
