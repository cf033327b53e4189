#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check docs/forms.schema.json against the shipped forms and the core.

Usage: check-forms-schema.py SOURCE_ROOT

Fails (exit 1, with a list of every problem) when
  a) docs/forms.schema.json is not valid JSON or not a draft 2020-12 schema;
  b) a form of data/forms uses a key the schema does not declare at that
     level, or (where the python3 jsonschema module is installed) does not
     validate against the schema;
  c) the keys, question types or kinds the schema declares differ from the
     ones app/core/pdm-form.c accepts, so the schema and the checker that
     really decides never drift apart.

The core's own checker runs over the same forms in tests/test-form.c.
"""

import glob
import json
import os
import re
import sys

DRAFT = 'https://json-schema.org/draft/2020-12/schema'


def c_string_array(source, name):
    """The strings of `static const char * const NAME[] = { ... };`."""
    match = re.search(r'\b' + re.escape(name) + r'\[\]\s*=\s*\{(.*?)\};', source, re.S)
    if match is None:
        return None
    return re.findall(r'"([^"]*)"', match.group(1))


def check_keys(node, allowed, path, problems):
    if not isinstance(node, dict):
        return
    for key in node:
        if key not in allowed:
            problems.append('%s.%s: the schema does not declare this key' % (path, key))


def walk_form(form, schema, path, problems):
    defs = schema['$defs']
    check_keys(form, schema['properties'], path, problems)
    for name, points in (form.get('scales') or {}).items():
        for i, point in enumerate(points if isinstance(points, list) else []):
            check_keys(point, defs['scalePoint']['properties'],
                       '%s.scales.%s[%d]' % (path, name, i), problems)
    for s, section in enumerate(form.get('sections') or []):
        section_path = '%s.sections[%d]' % (path, s)
        check_keys(section, defs['section']['properties'], section_path, problems)
        for q, question in enumerate(section.get('questions') or []):
            question_path = '%s.questions[%d]' % (section_path, q)
            check_keys(question, defs['question']['properties'], question_path, problems)
            for o, option in enumerate(question.get('options') or []):
                check_keys(option, defs['option']['properties'],
                           '%s.options[%d]' % (question_path, o), problems)
            if isinstance(question.get('scale'), list):
                for p, point in enumerate(question['scale']):
                    check_keys(point, defs['scalePoint']['properties'],
                               '%s.scale[%d]' % (question_path, p), problems)


def compare(label, declared, accepted, problems):
    if accepted is None:
        problems.append('app/core/pdm-form.c: %s not found' % label)
    elif sorted(declared) != sorted(accepted):
        problems.append('%s: the schema declares %s, the core accepts %s'
                        % (label, sorted(declared), sorted(accepted)))


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    problems = []

    with open(os.path.join(root, 'docs', 'forms.schema.json'), encoding='utf-8') as f:
        try:
            schema = json.load(f)
        except ValueError as e:
            print('docs/forms.schema.json is not valid JSON: %s' % e)
            return 1
    if schema.get('$schema') != DRAFT:
        problems.append('docs/forms.schema.json: $schema is not %s' % DRAFT)

    try:
        import jsonschema
        validator_class = jsonschema.Draft202012Validator
        validator_class.check_schema(schema)
        validator = validator_class(schema)
    except ImportError:
        validator = None
        print('# python3-jsonschema is missing: checking keys only')

    paths = sorted(glob.glob(os.path.join(root, 'data', 'forms', '*.json')))
    if not paths:
        problems.append('data/forms has no forms')
    for path in paths:
        name = os.path.relpath(path, root)
        with open(path, encoding='utf-8') as f:
            try:
                form = json.load(f)
            except ValueError as e:
                problems.append('%s: not valid JSON: %s' % (name, e))
                continue
        walk_form(form, schema, name + ': $', problems)
        if validator is not None:
            for error in sorted(validator.iter_errors(form), key=lambda e: list(e.path)):
                where = '$' + ''.join('[%d]' % p if isinstance(p, int) else '.%s' % p
                                      for p in error.path)
                problems.append('%s: %s: %s' % (name, where, error.message))

    with open(os.path.join(root, 'app', 'core', 'pdm-form.c'), encoding='utf-8') as f:
        source = f.read()
    defs = schema['$defs']
    compare('form keys', schema['properties'], c_string_array(source, 'form_keys'), problems)
    compare('section keys', defs['section']['properties'],
            c_string_array(source, 'section_keys'), problems)
    compare('question keys', defs['question']['properties'],
            c_string_array(source, 'question_keys'), problems)
    compare('option keys', defs['option']['properties'],
            c_string_array(source, 'option_keys'), problems)
    compare('question types', defs['question']['properties']['type']['enum'],
            c_string_array(source, 'question_type_names'), problems)
    compare('form kinds', schema['properties']['kind']['enum'],
            c_string_array(source, 'form_kinds'), problems)

    for problem in problems:
        print(problem)
    if problems:
        return 1
    print('# %d forms checked against docs/forms.schema.json' % len(paths))
    return 0


if __name__ == '__main__':
    sys.exit(main())
