#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print an XLSX workbook as JSON, as a spreadsheet program would read it.

Usage: dump-xlsx.py WORKBOOK

{"sheets": [{"name": ..., "frozen_rows": N,
             "cells": {"A1": {"type": "s"|"n"|"str"|"invalid", "value": ...,
                              "format": "0.0%", "bold": true}}}]}

A cell of type "s" has its shared string resolved; a number that does not
parse as one (a decimal comma, say) has the type "invalid".
"""

import json
import posixpath
import sys
import xml.etree.ElementTree as ET
import zipfile

MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL_ID = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id'
NS = {'m': MAIN}
BUILTIN_FORMATS = {0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00',
                   9: '0%', 10: '0.00%'}


def text_of(element):
    return ''.join(t.text or '' for t in element.iter(f'{{{MAIN}}}t'))


def main(path):
    with zipfile.ZipFile(path) as z:
        workbook = ET.fromstring(z.read('xl/workbook.xml'))
        rels = ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))
        targets = {r.get('Id'): r.get('Target') for r in rels}

        strings = []
        if 'xl/sharedStrings.xml' in z.namelist():
            shared = ET.fromstring(z.read('xl/sharedStrings.xml'))
            strings = [text_of(si) for si in shared.findall('m:si', NS)]

        styles = ET.fromstring(z.read('xl/styles.xml'))
        formats = dict(BUILTIN_FORMATS)
        for fmt in styles.findall('m:numFmts/m:numFmt', NS):
            formats[int(fmt.get('numFmtId'))] = fmt.get('formatCode')
        bold_fonts = [font.find('m:b', NS) is not None
                      for font in styles.findall('m:fonts/m:font', NS)]
        xfs = [(int(xf.get('numFmtId', 0)), int(xf.get('fontId', 0)))
               for xf in styles.findall('m:cellXfs/m:xf', NS)]

        sheets = []
        for sheet in workbook.findall('m:sheets/m:sheet', NS):
            target = targets[sheet.get(REL_ID)]
            target = target.lstrip('/') if target.startswith('/') else posixpath.join('xl', target)
            xml = ET.fromstring(z.read(target))

            cells = {}
            for c in xml.iter(f'{{{MAIN}}}c'):
                kind = c.get('t', 'n')
                v = c.find('m:v', NS)
                value = None if v is None else v.text
                if kind == 's':
                    value = strings[int(value)]
                elif kind == 'inlineStr':
                    value = text_of(c)
                elif kind == 'n' and value is not None:
                    try:
                        value = float(value)
                    except ValueError:
                        kind = 'invalid'
                num_fmt, font = xfs[int(c.get('s', 0))]
                cells[c.get('r')] = {'type': kind, 'value': value,
                                     'format': formats.get(num_fmt, '?'),
                                     'bold': bold_fonts[font]}

            pane = xml.find('m:sheetViews/m:sheetView/m:pane', NS)
            frozen = 0
            if pane is not None and pane.get('state') == 'frozen':
                frozen = int(float(pane.get('ySplit', '0')))
            sheets.append({'name': sheet.get('name'), 'frozen_rows': frozen, 'cells': cells})

    json.dump({'sheets': sheets}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
