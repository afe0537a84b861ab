#!/usr/bin/python3
# check-flatpak-manifest.py
#
# Copyright 2026 The Verdict developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks flatpak/io.github.verdict.Verdict.json without flatpak-builder (the
# GNOME SDK cannot be downloaded on the build machines): the manifest is JSON,
# names the app and a fixed GNOME runtime, asks for exactly the allowed
# sandbox permissions, builds the libraries the runtime lacks from release
# tarballs with checksums, and builds this source tree with meson as its
# last module.
#
# Usage: check-flatpak-manifest.py MANIFEST APP_ID PROJECT_ROOT

import json
import os
import sys

ALLOWED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
]
REQUIRED_CLEANUP = ["/include", "/lib/pkgconfig", "*.a"]
# Libraries the GNOME runtime lacks, built before the app.
REQUIRED_MODULES = ["md4c", "libsodium", "libpq"]
# libpq comes from the PostgreSQL source tree, of which only the client
# library, its headers and pg_config are built and installed.
LIBPQ_DIRS = ["src/include", "src/interfaces/libpq", "src/bin/pg_config"]


def main():
    if len(sys.argv) != 4:
        print("usage: check-flatpak-manifest.py MANIFEST APP_ID PROJECT_ROOT", file=sys.stderr)
        return 2
    path, app_id, project_root = sys.argv[1:]
    name = os.path.basename(path)
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(f"{name}: {message}")

    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 1

    expect(isinstance(manifest, dict), "expected a JSON object")
    if not isinstance(manifest, dict):
        manifest = {}

    expect(manifest.get("app-id") == app_id,
           f"app-id: expected {app_id!r}, found {manifest.get('app-id')!r}")
    expect(name == app_id + ".json", f"file name: expected {app_id}.json")
    expect(manifest.get("runtime") == "org.gnome.Platform",
           f"runtime: expected 'org.gnome.Platform', found {manifest.get('runtime')!r}")
    expect(manifest.get("sdk") == "org.gnome.Sdk",
           f"sdk: expected 'org.gnome.Sdk', found {manifest.get('sdk')!r}")
    version = manifest.get("runtime-version")
    expect(isinstance(version, str) and version.isdigit(),
           f"runtime-version: expected a fixed stable version such as \"49\", found {version!r}")
    expect(manifest.get("command") == "verdict",
           f"command: expected 'verdict', found {manifest.get('command')!r}")

    finish_args = manifest.get("finish-args")
    expect(isinstance(finish_args, list) and sorted(finish_args) == sorted(ALLOWED_FINISH_ARGS),
           f"finish-args: expected exactly {ALLOWED_FINISH_ARGS}, found {finish_args!r}")

    cleanup = manifest.get("cleanup", [])
    for entry in REQUIRED_CLEANUP:
        expect(entry in cleanup, f"cleanup: expected {entry!r}")

    modules = manifest.get("modules")
    expect(isinstance(modules, list) and modules, "modules: expected a non-empty list")
    if isinstance(modules, list) and modules:
        app = modules[-1]
        expect(isinstance(app, dict), "modules[-1]: expected the app module inline")
        if isinstance(app, dict):
            expect(app.get("name") == "verdict",
                   f"modules[-1].name: expected 'verdict', found {app.get('name')!r}")
            expect(app.get("buildsystem") == "meson",
                   f"modules[-1].buildsystem: expected 'meson', found {app.get('buildsystem')!r}")
            expect(app.get("builddir") is True, "modules[-1].builddir: expected true")
            expect("-Dtests=false" in app.get("config-opts", []),
                   "modules[-1].config-opts: expected -Dtests=false")
            sources = app.get("sources")
            expect(isinstance(sources, list) and len(sources) == 1
                   and isinstance(sources[0], dict) and sources[0].get("type") == "dir",
                   f"modules[-1].sources: expected one dir source, found {sources!r}")
            if isinstance(sources, list) and sources and isinstance(sources[0], dict):
                source_path = sources[0].get("path", "")
                root = os.path.realpath(os.path.join(os.path.dirname(path), source_path))
                expect(root == os.path.realpath(project_root),
                       f"modules[-1].sources[0].path: {source_path!r} is {root}, "
                       f"expected the project root {os.path.realpath(project_root)}")

    if isinstance(modules, list):
        names = [m.get("name") if isinstance(m, dict) else None for m in modules]
        for required in REQUIRED_MODULES:
            expect(required in names[:-1],
                   f"modules: expected a module {required!r} before the app")
        libpq = [m for m in modules if isinstance(m, dict) and m.get("name") == "libpq"]
        if libpq:
            commands = libpq[0].get("build-commands", [])
            commands = commands if isinstance(commands, list) else []
            expect(any(str(c).startswith("./configure") and "--with-ssl=openssl" in str(c)
                       for c in commands),
                   "modules (libpq): expected ./configure ... --with-ssl=openssl")
            for directory in LIBPQ_DIRS:
                expect(f"make -C {directory} install" in commands,
                       f"modules (libpq): expected 'make -C {directory} install'")
            expect(not any(str(c).strip() in ("make", "make install") for c in commands),
                   "modules (libpq): expected only libpq built, not the whole server")
            sources = libpq[0].get("sources", [])
            expect(isinstance(sources, list) and any(
                       isinstance(s, dict) and "postgresql-15" in str(s.get("url", ""))
                       for s in sources),
                   "modules (libpq): expected a PostgreSQL 15 source tarball")
        for index, module in enumerate(modules[:-1]):
            if not isinstance(module, dict):
                continue
            for source in module.get("sources", []):
                if not isinstance(source, dict) or source.get("type") != "archive":
                    continue
                where = f"modules[{index}] ({module.get('name')!r})"
                expect(str(source.get("url", "")).startswith("https://"),
                       f"{where}: expected an https:// url, found {source.get('url')!r}")
                sha256 = source.get("sha256", "")
                expect(isinstance(sha256, str) and len(sha256) == 64
                       and all(c in "0123456789abcdef" for c in sha256),
                       f"{where}: expected a sha256 of the archive, found {sha256!r}")

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{name}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
