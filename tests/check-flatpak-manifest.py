#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the Flatpak manifest agrees with the meson build.

Usage: check-flatpak-manifest.py SOURCE_ROOT [MANIFEST]

Fails (exit 1, one line per problem) when the manifest is not valid JSON,
its app-id is not the application id that meson builds for the profile the
manifest asks for, its command is not an executable that meson installs, or
a -D option of the module built from the source tree is unknown to
meson_options.txt or has a value the option does not allow, a library that
meson.build needs and the GNOME runtime lacks is built by no module, or a
module's source is not pinned (an archive without sha256, git without a
commit or tag).
"""

import json
import os
import re
import sys

SKIP_DIRS = {'.git', '_install', '.flatpak-builder'}

# The pkg-config names of meson's dependency() calls that org.gnome.Platform
# provides; any other must be built by a module of the manifest, named for
# it ('xlsxwriter' by a module 'libxlsxwriter').
RUNTIME_PACKAGES = {
    'glib-2.0', 'gio-2.0', 'gio-unix-2.0', 'sqlite3', 'json-glib-1.0', 'libsoup-3.0',
    'gtk4', 'libadwaita-1', 'libsecret-1', 'cairo', 'pangocairo',
}


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def strip_meson_comments(text):
    """Drop '#' comments, leaving quoted strings alone."""
    out = []
    for line in text.splitlines():
        quoted = False
        for i, ch in enumerate(line):
            if ch == "'":
                quoted = not quoted
            elif ch == '#' and not quoted:
                line = line[:i]
                break
        out.append(line)
    return '\n'.join(out)


def calls(text, name):
    """Yield the argument text of every call NAME(...) in meson code."""
    for m in re.finditer(r'\b' + re.escape(name) + r'\s*\(', text):
        depth, quoted, i = 1, False, m.end()
        while i < len(text) and depth:
            ch = text[i]
            if ch == "'":
                quoted = not quoted
            elif not quoted:
                depth += {'(': 1, ')': -1}.get(ch, 0)
            i += 1
        yield text[m.end():i - 1]


def parse_options(path):
    """Return {name: (type, choices or None, default)} from meson_options.txt."""
    options = {}
    for args in calls(strip_meson_comments(read(path)), 'option'):
        name = re.match(r"\s*'([^']+)'", args)
        kind = re.search(r"\btype\s*:\s*'([^']+)'", args)
        if not name or not kind:
            continue
        choices = re.search(r'\bchoices\s*:\s*\[([^\]]*)\]', args)
        if choices:
            choices = re.findall(r"'([^']*)'", choices.group(1))
        default = re.search(r"\bvalue\s*:\s*('([^']*)'|\w+)", args)
        if default:
            default = default.group(2) if default.group(2) is not None else default.group(1)
        options[name.group(1)] = (kind.group(1), choices, default)
    return options


def value_problem(option, kind, choices, value):
    if kind == 'combo' and value not in choices:
        return f'-D{option}={value}: allowed values are {", ".join(choices)}'
    if kind == 'boolean' and value not in ('true', 'false'):
        return f'-D{option}={value}: a boolean must be true or false'
    if kind == 'feature' and value not in ('enabled', 'disabled', 'auto'):
        return f'-D{option}={value}: a feature must be enabled, disabled or auto'
    if kind == 'integer' and not re.fullmatch(r'-?\d+', value):
        return f'-D{option}={value}: not an integer'
    if kind == 'array' and choices:
        bad = [v for v in value.split(',') if v and v not in choices]
        if bad:
            return f'-D{option}={value}: allowed values are {", ".join(choices)}'
    return None


def installed_executables(root):
    names = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames
                       if d not in SKIP_DIRS and not d.startswith('_build')]
        if 'meson.build' not in filenames:
            continue
        text = strip_meson_comments(read(os.path.join(dirpath, 'meson.build')))
        for args in calls(text, 'executable'):
            name = re.match(r"\s*'([^']+)'", args)
            if name and re.search(r'\binstall\s*:\s*true\b', args):
                names.add(name.group(1))
    return names


def meson_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames
                       if d not in SKIP_DIRS and not d.startswith('_build')]
        if 'meson.build' in filenames:
            yield os.path.join(dirpath, 'meson.build')


def dependencies(root):
    names = set()
    for path in meson_files(root):
        for args in calls(strip_meson_comments(read(path)), 'dependency'):
            name = re.match(r"\s*'([^']+)'", args)
            if name:
                names.add(name.group(1))
    return names


def bare(name):
    name = name.lower()
    return name[3:] if name.startswith('lib') else name


def module_problems(manifest, own, root):
    problems = []
    modules = [m for m in manifest.get('modules', []) if isinstance(m, dict)]
    built = {bare(m.get('name', '')) for m in modules}
    for name in sorted(dependencies(root) - RUNTIME_PACKAGES):
        if bare(name) not in built:
            problems.append(f'meson.build needs {name!r}, which the GNOME runtime lacks '
                            f'and no module builds')
    for m in modules:
        if m in own:
            continue
        for source in m.get('sources', []):
            if not isinstance(source, dict):
                continue
            kind = source.get('type')
            if kind in ('archive', 'file') and 'url' in source and not source.get('sha256'):
                problems.append(f'module "{m.get("name")}": {source["url"]} has no sha256')
            if kind == 'git' and not (source.get('commit') or source.get('tag')):
                problems.append(f'module "{m.get("name")}": git source with no commit or tag')
    return problems


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = argv[1]
    manifest_path = argv[2] if len(argv) == 3 else os.path.join(
        root, 'flatpak', 'io.github.pendamping.Pendamping.json')
    problems = []

    try:
        manifest = json.loads(read(manifest_path))
    except (OSError, ValueError) as e:
        print(f'{manifest_path}: cannot read the manifest: {e}')
        return 1

    options = parse_options(os.path.join(root, 'meson_options.txt'))
    top = strip_meson_comments(read(os.path.join(root, 'meson.build')))

    # The module that builds this source tree: a "dir" source pointing at the
    # root of the repository (the manifest lives one level below it).
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
    own = [m for m in manifest.get('modules', [])
           if isinstance(m, dict) and any(
               s.get('type') == 'dir' and os.path.realpath(
                   os.path.join(manifest_dir, s.get('path', ''))) == os.path.realpath(root)
               for s in m.get('sources', []) if isinstance(s, dict))]
    if len(own) != 1:
        problems.append(f'expected one module with a "dir" source of the source root, found {len(own)}')
    module = own[-1] if own else {}
    if own and module.get('buildsystem') != 'meson':
        problems.append(f'module "{module.get("name")}" is not built with meson')

    profile = (options.get('profile') or (None, None, 'default'))[2]
    for opt in module.get('config-opts', []):
        m = re.fullmatch(r'-D([^=]+)=(.*)', opt)
        if not m:
            continue
        name, value = m.groups()
        if name not in options:
            problems.append(f'-D{name}: no such option in meson_options.txt')
            continue
        problem = value_problem(name, options[name][0], options[name][1], value)
        if problem:
            problems.append(problem)
        if name == 'profile':
            profile = value

    base_id = re.search(r"\bbase_id\s*=\s*'([^']+)'", top)
    suffix = re.search(r"\bapplication_id\s*=\s*base_id\s*\+\s*'([^']+)'", top)
    if not base_id:
        problems.append('meson.build: no base_id found')
    else:
        expected = base_id.group(1)
        if profile == 'development' and suffix:
            expected += suffix.group(1)
        app_id = manifest.get('app-id', manifest.get('id'))
        if app_id != expected:
            problems.append(f'app-id is {app_id!r}, but meson builds {expected!r} '
                            f'for profile {profile!r}')

    problems += module_problems(manifest, own, root)

    command = manifest.get('command')
    executables = installed_executables(root)
    if command not in executables:
        problems.append(f'command {command!r} is not an executable that meson installs '
                        f'(installed: {", ".join(sorted(executables)) or "none"})')

    if problems:
        print(f'{manifest_path}:')
        for p in problems:
            print(f'  - {p}')
        return 1
    print(f'{manifest_path}: OK (app-id {manifest.get("app-id")}, command {command})')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
