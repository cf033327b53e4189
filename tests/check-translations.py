#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the Indonesian translation is complete and up to date.

Usage: check-translations.py [--msgfmt PATH] [--xgettext PATH] SOURCE_ROOT

Fails (exit 1, with a list of every problem) when
  a) po/id.po has untranslated or fuzzy messages, or msgfmt --check rejects it;
  b) a source or data file with translatable strings is not in po/POTFILES.in
     (files listed in po/POTFILES.skip are exempt);
  c) po/POTFILES.in is not sorted, lists a file twice, or lists a missing file;
  d) a string that xgettext extracts from the files of POTFILES.in is not in
     po/id.po (the translation was not merged after the sources changed).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

SKIP_DIRS = {'.git', '_install', '.flatpak-builder'}

C_KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2',
              '--keyword=NC_:1c,2', '--keyword=g_dngettext:2,3',
              '--keyword=g_dcgettext:2', '--keyword=g_dpgettext2:2c,3']
DESKTOP_KEYWORDS = ['--keyword=Name', '--keyword=GenericName',
                    '--keyword=Comment', '--keyword=Keywords']

C_MARKERS = re.compile(r'(?<![\w])(?:_|N_|C_|NC_|ngettext|g_dngettext|'
                       r'g_dcgettext|g_dpgettext2|dgettext|gettext)\s*\(')
UI_MARKERS = re.compile(r'''translatable\s*=\s*["'](?:yes|true|1)["']''')
DESKTOP_MARKERS = re.compile(r'^_?(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)'
                             r'(?:\[[^\]]*\])?\s*=', re.M)
METAINFO_MARKERS = re.compile(r'<_?(?:p|li|summary|name|caption|developer_name|keyword)[\s>]')
GSCHEMA_MARKERS = re.compile(r'<_?(?:summary|description)[\s>]')
INTLTOOL_MARKERS = re.compile(r'^_\w+\s*=|<_\w+[\s>]', re.M)


def rel(path, root):
    return os.path.relpath(path, root).replace(os.sep, '/')


def walk(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not d.startswith('_build'))
        for name in sorted(filenames):
            yield rel(os.path.join(dirpath, name), root)


def c_code_only(text):
    """Return C source with comments and the contents of literals blanked."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif ch in '"\'':
            j = i + 1
            while j < n and text[j] != ch and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(ch + ch)
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return ''.join(out)


def needs_translation(path, text):
    """Whether a file of one of the checked kinds holds translatable strings."""
    if path.endswith('.c'):
        return bool(C_MARKERS.search(c_code_only(text)))
    if path.endswith('.ui'):
        return bool(UI_MARKERS.search(text))
    base = re.sub(r'(\.in)+$', '', path)
    if base.endswith('.desktop'):
        return bool(DESKTOP_MARKERS.search(text))
    if base.endswith(('.metainfo.xml', '.appdata.xml')):
        return bool(METAINFO_MARKERS.search(text))
    if base.endswith('.gschema.xml'):
        return bool(GSCHEMA_MARKERS.search(text))
    return bool(INTLTOOL_MARKERS.search(text) or UI_MARKERS.search(text))


def is_checked_kind(path):
    parts = path.split('/')
    if parts[0] in ('app', 'server') and path.endswith('.c'):
        return True
    if parts[0] == 'resources' and path.endswith('.ui'):
        return True
    if parts[0] == 'data' and (path.endswith('.in') or path.endswith('.gschema.xml')):
        return True
    return False


def read_list(path):
    """Entries of a POTFILES-style list, in file order."""
    entries = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(('#', '[')):
                entries.append(line)
    return entries


def unquote(s):
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError(f'not a quoted string: {s}')
    escapes = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a',
               'b': '\b', 'f': '\f', 'v': '\v'}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(0)), s[1:-1])


def parse_po(path):
    """Return a list of dicts (ctxt, id, plural, strs, fuzzy) for the live entries."""
    entries, cur, field = [], None, None

    def flush():
        if cur is not None and 'id' in cur:
            entries.append(cur)

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#~') or not line.strip():
                continue
            if line.startswith('#'):
                if field is not None:  # comments start a new entry
                    flush()
                    cur, field = None, None
                if line.startswith('#,') and 'fuzzy' in line:
                    cur = cur or {'strs': {}}
                    cur['fuzzy'] = True
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if m:
                key = m.group(1)
                if key in ('msgctxt', 'msgid') and field is not None and \
                        not (key == 'msgid' and field == 'ctxt'):
                    flush()
                    cur = None
                cur = cur or {'strs': {}}
                if key == 'msgctxt':
                    field = 'ctxt'
                elif key == 'msgid':
                    field = 'id'
                elif key == 'msgid_plural':
                    field = 'plural'
                else:
                    field = ('str', int(m.group(2) or 0))
                value = unquote(m.group(3))
                if isinstance(field, tuple):
                    cur['strs'][field[1]] = value
                else:
                    cur[field] = value
            elif line.startswith('"') and cur is not None and field is not None:
                value = unquote(line)
                if isinstance(field, tuple):
                    cur['strs'][field[1]] += value
                else:
                    cur[field] += value
            else:
                raise ValueError(f'{path}: cannot parse line: {line}')
    flush()
    return [e for e in entries if e['id'] != '' or 'ctxt' in e]


def describe(entry):
    text = entry['id'].replace('\n', '\\n')
    if len(text) > 70:
        text = text[:67] + '...'
    return (f'[{entry["ctxt"]}] ' if 'ctxt' in entry else '') + f'"{text}"'


def run(cmd, cwd):
    env = dict(os.environ, LC_ALL='C', LANGUAGE='C')
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


def check_po_complete(args, id_po, entries, problems):
    """a) msgfmt --check passes and reports nothing untranslated or fuzzy."""
    r = run([args.msgfmt, '--check', '--statistics', '-o', os.devnull, id_po], args.root)
    stats = [line for line in r.stderr.splitlines() if 'translated message' in line]
    stats = stats[-1].strip() if stats else r.stderr.strip()
    if r.returncode != 0:
        problems.append(f'a) msgfmt --check rejects po/id.po:\n{r.stderr.rstrip()}')
        return
    fuzzy = re.search(r'(\d+) fuzzy', stats)
    untranslated = re.search(r'(\d+) untranslated', stats)
    if fuzzy or untranslated:
        lines = [f'a) po/id.po is not complete ({stats}):']
        for e in entries:
            if e.get('fuzzy'):
                lines.append(f'     fuzzy: {describe(e)}')
            elif not e['strs'] or any(s == '' for s in e['strs'].values()):
                lines.append(f'     untranslated: {describe(e)}')
        problems.append('\n'.join(lines))


def check_potfiles(args, potfiles, skipped, problems):
    """b) and c): POTFILES.in is sorted, exists and lists every file with strings."""
    listed = set(potfiles)
    if potfiles != sorted(potfiles):
        wrong = [f'{a} before {b}' for a, b in zip(potfiles, potfiles[1:]) if a > b]
        problems.append('c) po/POTFILES.in is not sorted: ' + '; '.join(wrong))
    dupes = sorted({p for p in potfiles if potfiles.count(p) > 1})
    if dupes:
        problems.append('c) po/POTFILES.in lists more than once: ' + ', '.join(dupes))
    missing = [p for p in potfiles if not os.path.isfile(os.path.join(args.root, p))]
    if missing:
        problems.append('c) po/POTFILES.in lists files that do not exist:\n'
                        + '\n'.join(f'     {p}' for p in missing))

    unlisted = []
    for path in walk(args.root):
        if not is_checked_kind(path) or path in listed or path in skipped:
            continue
        try:
            with open(os.path.join(args.root, path), encoding='utf-8') as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            problems.append(f'b) cannot read {path}: {e}')
            continue
        if needs_translation(path, text):
            unlisted.append(path)
    if unlisted:
        problems.append('b) files with translatable strings missing from po/POTFILES.in:\n'
                        + '\n'.join(f'     {p}' for p in unlisted))


def extract(args, files, tmpdir, problems):
    """Run xgettext on FILES, one run per kind of file; return the entries."""
    groups = {'c': [], 'desktop': [], 'its': []}
    for path in files:
        base = re.sub(r'(\.in)+$', '', path)
        if base.endswith(('.c', '.h')):
            groups['c'].append(path)
        elif base.endswith('.desktop'):
            groups['desktop'].append(path)
        else:
            groups['its'].append(path)
    options = {
        'c': ['--language=C'] + C_KEYWORDS,
        'desktop': ['--language=Desktop'] + DESKTOP_KEYWORDS,
        'its': [],
    }
    entries = []
    for kind, paths in groups.items():
        if not paths:
            continue
        pot = os.path.join(tmpdir, kind + '.pot')
        r = run([args.xgettext, '--from-code=UTF-8', '--force-po', '--no-location',
                 '-o', pot] + options[kind] + paths, args.root)
        if r.returncode != 0:
            problems.append(f'd) xgettext failed on the {kind} files:\n{r.stderr.rstrip()}')
            continue
        if r.stderr.strip():
            sys.stderr.write(r.stderr)
        entries += parse_po(pot)
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('--msgfmt', default='msgfmt')
    parser.add_argument('--xgettext', default='xgettext')
    parser.add_argument('root', help='the source root')
    args = parser.parse_args()

    po_dir = os.path.join(args.root, 'po')
    id_po = os.path.join(po_dir, 'id.po')
    potfiles_in = os.path.join(po_dir, 'POTFILES.in')
    potfiles_skip = os.path.join(po_dir, 'POTFILES.skip')
    problems = []

    potfiles = read_list(potfiles_in) if os.path.isfile(potfiles_in) else None
    if potfiles is None:
        problems.append('c) po/POTFILES.in does not exist')
    skipped = set(read_list(potfiles_skip)) if os.path.isfile(potfiles_skip) else set()

    po_entries = None
    if not os.path.isfile(id_po):
        problems.append('a) po/id.po does not exist')
    else:
        try:
            po_entries = parse_po(id_po)
        except (ValueError, UnicodeDecodeError) as e:
            problems.append(f'a) cannot read po/id.po: {e}')
        check_po_complete(args, id_po, po_entries or [], problems)

    check_potfiles(args, potfiles or [], skipped, problems)

    if potfiles and po_entries is not None:
        existing = [p for p in potfiles if os.path.isfile(os.path.join(args.root, p))]
        with tempfile.TemporaryDirectory(prefix='pdm-translations-') as tmpdir:
            extracted = extract(args, existing, tmpdir, problems)
        known = {(e.get('ctxt'), e['id']) for e in po_entries}
        absent, seen = [], set()
        for e in extracted:
            key = (e.get('ctxt'), e['id'])
            if key not in known and key not in seen:
                seen.add(key)
                absent.append(e)
        if absent:
            problems.append('d) po/id.po is out of date; these strings of the sources are '
                            'not in it (update it with msgmerge):\n'
                            + '\n'.join(f'     {describe(e)}' for e in absent))

    if problems:
        problems.sort(key=lambda p: p[0])
        print('Translation check failed:')
        for p in problems:
            print(f'  {p}')
        return 1
    print(f'po/id.po: complete and up to date ({len(po_entries)} messages, '
          f'{len(potfiles)} files in POTFILES.in)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
