"""`doclint init` through the installed command."""

from __future__ import annotations

import tomllib

from conftest import git, installed, write_tree


def test_init_reads_a_monorepo_and_never_overwrites(tmp_path):
    root = write_tree(tmp_path / "mono", {
        "package.json": '{"name": "x", "workspaces": ["packages/*"]}',
        "pnpm-workspace.yaml": "packages:\n  - 'tools/*'\n",
        "packages/core/src/index.ts": "export function start(): void {}\n",
        "packages/ui/src/button.jsx": "export const Button = () => null;\n",
        "tools/cli/main.ts": "export const run = 1;\n",
        "docs/guide.md": "Call `start()` in `packages/core/src/index.ts`.\n",
        "README.md": "# Mono\n",
        "CHANGELOG.md": "Renamed `begin` to `start`.\n",
        "AGENTS.md": "Code lives in `packages/core/src/gone.ts`.\n",
        "website/docusaurus.config.ts": "export default {};\n",
    })
    git(root, "init", "-q")
    run = installed(["init"], root)
    assert run.returncode == 0, run.stderr
    config = tomllib.loads((root / "doclint.toml").read_text())
    assert config["docs"] == ["docs/**/*.md", "README.md", "packages/*/README.md", "tools/*/README.md"]
    assert "packages/*/**/*.ts" in config["sources"] and "packages/*/**/*.jsx" in config["sources"]
    assert "tools/*/**/*.ts" in config["sources"]
    assert config["exclude"] == ["**/CHANGELOG.md"]
    assert "agent files (always checked): AGENTS.md" in run.stdout
    assert "first check: 1 error" in run.stdout
    assert installed(["check"], root).returncode == 1  # the config it wrote is valid and used

    again = installed(["init"], root)
    assert again.returncode == 2 and "never overwrites" in again.stderr and "Traceback" not in again.stderr


def test_init_in_a_plain_project(tmp_path):
    root = write_tree(tmp_path / "plain", {"src/a.ts": "export const a = 1;\n", "README.md": "# A\n"})
    run = installed(["init", "--root", str(root)], tmp_path)
    assert run.returncode == 0, run.stderr
    config = tomllib.loads((root / "doclint.toml").read_text())
    assert config == {"docs": ["README.md"], "sources": ["src/**/*.ts"]}
    assert "first check: 0 errors" in run.stdout
