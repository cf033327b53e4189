/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A report as a document, apart from where its figures came from and from
 * how it is drawn: a title, a subtitle, details (label → value: "Tempat",
 * "Tanggal"), then sections in order. A section has a heading, paragraphs,
 * at most one chart and at most one table, shown in that order. The
 * figures step fills a document; the renderers (app/report: PDF, XLSX, the
 * charts on screen) and the CSV writer below only read it.
 *
 * Percentages are stored as percent, 0 to 100 ("72,5%" is 72.5).
 * A number that is missing ("no value", shown as "—") is NAN.
 */

#define PDM_TYPE_REPORT_DOC (pdm_report_doc_get_type ())

/* The row index of a table's footer row ("Rata-rata") in the cell functions. */
#define PDM_REPORT_FOOTER_ROW G_MAXUINT

typedef enum
{
  PDM_REPORT_KIND_TEXT,
  PDM_REPORT_KIND_INTEGER,
  PDM_REPORT_KIND_DECIMAL,
  PDM_REPORT_KIND_PERCENT,
} PdmReportKind;

typedef enum
{
  PDM_REPORT_ALIGN_START,
  PDM_REPORT_ALIGN_CENTER,
  PDM_REPORT_ALIGN_END,
} PdmReportAlign;

typedef enum
{
  PDM_REPORT_CHART_BAR,     /* categories × series, grouped or stacked bars */
  PDM_REPORT_CHART_PAIRED,  /* a category per participant, series 0 "pre", 1 "post" */
} PdmReportChartKind;

typedef struct _PdmReportDoc     PdmReportDoc;
typedef struct _PdmReportSection PdmReportSection;
typedef struct _PdmReportTable   PdmReportTable;
typedef struct _PdmReportChart   PdmReportChart;

GType             pdm_report_doc_get_type           (void) G_GNUC_CONST;

PdmReportDoc     *pdm_report_doc_new                (const char          *title);
PdmReportDoc     *pdm_report_doc_ref                (PdmReportDoc        *doc);
void              pdm_report_doc_unref              (PdmReportDoc        *doc);

void              pdm_report_doc_set_subtitle       (PdmReportDoc        *doc,
                                                     const char          *subtitle);
void              pdm_report_doc_set_created        (PdmReportDoc        *doc,
                                                     GDateTime           *created);
void              pdm_report_doc_add_detail         (PdmReportDoc        *doc,
                                                     const char          *label,
                                                     const char          *value);
PdmReportSection *pdm_report_doc_add_section        (PdmReportDoc        *doc,
                                                     const char          *heading);

const char       *pdm_report_doc_get_title          (PdmReportDoc        *doc);
const char       *pdm_report_doc_get_subtitle       (PdmReportDoc        *doc);
GDateTime        *pdm_report_doc_get_created        (PdmReportDoc        *doc);
guint             pdm_report_doc_get_n_details      (PdmReportDoc        *doc);
const char       *pdm_report_doc_get_detail_label   (PdmReportDoc        *doc,
                                                     guint                index);
const char       *pdm_report_doc_get_detail_value   (PdmReportDoc        *doc,
                                                     guint                index);
guint             pdm_report_doc_get_n_sections     (PdmReportDoc        *doc);
PdmReportSection *pdm_report_doc_get_section        (PdmReportDoc        *doc,
                                                     guint                index);

void              pdm_report_section_add_paragraph  (PdmReportSection    *section,
                                                     const char          *text);
PdmReportTable   *pdm_report_section_add_table      (PdmReportSection    *section);
PdmReportChart   *pdm_report_section_add_chart      (PdmReportSection    *section,
                                                     PdmReportChartKind   kind);

const char       *pdm_report_section_get_heading    (PdmReportSection    *section);
guint             pdm_report_section_get_n_paragraphs (PdmReportSection  *section);
const char       *pdm_report_section_get_paragraph  (PdmReportSection    *section,
                                                     guint                index);
PdmReportTable   *pdm_report_section_get_table      (PdmReportSection    *section);
PdmReportChart   *pdm_report_section_get_chart      (PdmReportSection    *section);

guint             pdm_report_table_add_column       (PdmReportTable      *table,
                                                     const char          *header,
                                                     PdmReportKind        kind,
                                                     guint                decimals);
void              pdm_report_table_set_column_align (PdmReportTable      *table,
                                                     guint                column,
                                                     PdmReportAlign       align);
guint             pdm_report_table_add_row          (PdmReportTable      *table);
void              pdm_report_table_set_text         (PdmReportTable      *table,
                                                     guint                row,
                                                     guint                column,
                                                     const char          *text);
void              pdm_report_table_set_value        (PdmReportTable      *table,
                                                     guint                row,
                                                     guint                column,
                                                     double               value);

guint             pdm_report_table_get_n_columns    (PdmReportTable      *table);
const char       *pdm_report_table_get_header       (PdmReportTable      *table,
                                                     guint                column);
PdmReportKind     pdm_report_table_get_kind         (PdmReportTable      *table,
                                                     guint                column);
guint             pdm_report_table_get_decimals     (PdmReportTable      *table,
                                                     guint                column);
PdmReportAlign    pdm_report_table_get_align        (PdmReportTable      *table,
                                                     guint                column);
guint             pdm_report_table_get_n_rows       (PdmReportTable      *table);
gboolean          pdm_report_table_has_footer       (PdmReportTable      *table);
const char       *pdm_report_table_get_text         (PdmReportTable      *table,
                                                     guint                row,
                                                     guint                column);
double            pdm_report_table_get_value        (PdmReportTable      *table,
                                                     guint                row,
                                                     guint                column);
char             *pdm_report_table_format_cell      (PdmReportTable      *table,
                                                     guint                row,
                                                     guint                column);

void              pdm_report_chart_set_value_format (PdmReportChart      *chart,
                                                     PdmReportKind        kind,
                                                     guint                decimals);
void              pdm_report_chart_set_axis         (PdmReportChart      *chart,
                                                     double               max,
                                                     const char          *label);
void              pdm_report_chart_set_category_label (PdmReportChart    *chart,
                                                     const char          *label);
void              pdm_report_chart_set_stacked      (PdmReportChart      *chart,
                                                     gboolean             stacked);
guint             pdm_report_chart_add_series       (PdmReportChart      *chart,
                                                     const char          *name);
guint             pdm_report_chart_add_category     (PdmReportChart      *chart,
                                                     const char          *label);
void              pdm_report_chart_set_value        (PdmReportChart      *chart,
                                                     guint                series,
                                                     guint                category,
                                                     double               value);

PdmReportChartKind pdm_report_chart_get_kind        (const PdmReportChart *chart);
PdmReportKind     pdm_report_chart_get_value_kind   (const PdmReportChart *chart);
double            pdm_report_chart_get_axis_max     (const PdmReportChart *chart);
const char       *pdm_report_chart_get_axis_label   (const PdmReportChart *chart);
const char       *pdm_report_chart_get_category_label (const PdmReportChart *chart);
gboolean          pdm_report_chart_get_stacked      (const PdmReportChart *chart);
guint             pdm_report_chart_get_n_series     (const PdmReportChart *chart);
const char       *pdm_report_chart_get_series_name  (const PdmReportChart *chart,
                                                     guint                 series);
guint             pdm_report_chart_get_n_categories (const PdmReportChart *chart);
const char       *pdm_report_chart_get_category     (const PdmReportChart *chart,
                                                     guint                 category);
double            pdm_report_chart_get_value        (const PdmReportChart *chart,
                                                     guint                 series,
                                                     guint                 category);
char             *pdm_report_chart_format_value     (const PdmReportChart *chart,
                                                     double                value);

char             *pdm_report_format_value           (PdmReportKind        kind,
                                                     guint                decimals,
                                                     double               value);

GBytes           *pdm_report_doc_to_csv             (PdmReportDoc        *doc,
                                                     char                 separator);
gboolean          pdm_report_doc_write_csv          (PdmReportDoc        *doc,
                                                     const char          *path,
                                                     char                 separator,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmReportDoc, pdm_report_doc_unref)

G_END_DECLS
