/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* The look that the charts and the PDF share, and the file handling of the
 * PDF and XLSX writers. Private to app/report. */

/* GNOME HIG palette colours as 0xRRGGBB. */
#define PDM_REPORT_COLOR_TEXT       0x241f31  /* Dark 4 */
#define PDM_REPORT_COLOR_TEXT_DIM   0x5e5c64  /* Dark 2 */
#define PDM_REPORT_COLOR_HEADING    0x1a5fb4  /* Blue 5 */
#define PDM_REPORT_COLOR_RULE       0x9a9996  /* Light 5 */
#define PDM_REPORT_COLOR_GRID       0xdeddda  /* Light 3 */
#define PDM_REPORT_COLOR_ZEBRA      0xf6f5f4  /* Light 1 */
#define PDM_REPORT_COLOR_HEADER_BG  0xe6eef9  /* Blue 1 on white, 15% */
#define PDM_REPORT_COLOR_UP         0x26a269  /* Green 5 */
#define PDM_REPORT_COLOR_DOWN       0xc01c28  /* Red 4 */

guint32      _pdm_report_series_color   (guint          series);
void         _pdm_report_set_color      (cairo_t       *cr,
                                         guint32        rgb,
                                         double         alpha);

PangoLayout *_pdm_report_layout_new     (cairo_t       *cr,
                                         double         size,
                                         PangoWeight    weight,
                                         const char    *text);
void         _pdm_report_layout_size    (PangoLayout   *layout,
                                         double        *width,
                                         double        *height);
void         _pdm_report_show_layout    (cairo_t       *cr,
                                         PangoLayout   *layout,
                                         double         x,
                                         double         y);

void         _pdm_report_set_save_error (GError       **error,
                                         const char    *path,
                                         const char    *reason);
char        *_pdm_report_tmp_new        (const char    *path,
                                         GError       **error);
gboolean     _pdm_report_tmp_commit     (const char    *tmp_path,
                                         const char    *path,
                                         GError       **error);

G_END_DECLS
