/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-report-doc"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pdm-csv.h"
#include "pdm-error.h"
#include "pdm-report-doc.h"
#include "pdm-util.h"

/* What a report shows for a number that is missing. */
#define NO_VALUE "\u2014"

typedef struct
{
  char *label;
  char *value;
} Detail;

typedef struct
{
  double  value;  /* NAN when none */
  char   *text;
} Cell;

typedef struct
{
  char           *header;
  PdmReportKind   kind;
  guint           decimals;
  PdmReportAlign  align;
} Column;

struct _PdmReportTable
{
  GPtrArray *columns;  /* of Column */
  GPtrArray *rows;     /* of GArray of Cell, one per column */
  GArray    *footer;   /* of Cell, or NULL */
};

struct _PdmReportChart
{
  PdmReportChartKind  kind;
  PdmReportKind       value_kind;
  guint               value_decimals;
  double              axis_max;
  char               *axis_label;
  char               *category_label;
  gboolean            stacked;
  GPtrArray          *series_names;  /* of char * */
  GPtrArray          *values;        /* of GArray of double, one per series */
  GPtrArray          *categories;    /* of char * */
};

struct _PdmReportSection
{
  char           *heading;
  GPtrArray      *paragraphs;
  PdmReportTable *table;
  PdmReportChart *chart;
};

struct _PdmReportDoc
{
  gatomicrefcount  ref_count;
  char            *title;
  char            *subtitle;
  GDateTime       *created;
  GArray          *details;   /* of Detail */
  GPtrArray       *sections;  /* of PdmReportSection */
};

G_DEFINE_BOXED_TYPE (PdmReportDoc, pdm_report_doc, pdm_report_doc_ref, pdm_report_doc_unref)

static void
detail_clear (gpointer data)
{
  Detail *detail = data;

  g_free (detail->label);
  g_free (detail->value);
}

static void
cell_clear (gpointer data)
{
  Cell *cell = data;

  g_free (cell->text);
}

static void
column_free (gpointer data)
{
  Column *column = data;

  g_free (column->header);
  g_free (column);
}

static GArray *
cells_new (guint n_columns)
{
  GArray *cells = g_array_sized_new (FALSE, FALSE, sizeof (Cell), n_columns);

  g_array_set_clear_func (cells, cell_clear);
  for (guint i = 0; i < n_columns; i++)
    {
      Cell cell = { NAN, NULL };

      g_array_append_val (cells, cell);
    }

  return cells;
}

static void
table_free (PdmReportTable *table)
{
  if (table == NULL)
    return;

  g_ptr_array_unref (table->columns);
  g_ptr_array_unref (table->rows);
  g_clear_pointer (&table->footer, g_array_unref);
  g_free (table);
}

static void
chart_free (PdmReportChart *chart)
{
  if (chart == NULL)
    return;

  g_free (chart->axis_label);
  g_free (chart->category_label);
  g_ptr_array_unref (chart->series_names);
  g_ptr_array_unref (chart->values);
  g_ptr_array_unref (chart->categories);
  g_free (chart);
}

static void
section_free (gpointer data)
{
  PdmReportSection *section = data;

  g_free (section->heading);
  g_ptr_array_unref (section->paragraphs);
  table_free (section->table);
  chart_free (section->chart);
  g_free (section);
}

/**
 * pdm_report_doc_new:
 * @title: what the report is, "Evaluasi Pelatihan Dasar PSM"
 *
 * Returns: (transfer full): an empty report created now
 */
PdmReportDoc *
pdm_report_doc_new (const char *title)
{
  PdmReportDoc *doc;

  g_return_val_if_fail (title != NULL, NULL);

  doc = g_new0 (PdmReportDoc, 1);
  g_atomic_ref_count_init (&doc->ref_count);
  doc->title = g_strdup (title);
  doc->created = g_date_time_new_now_local ();
  doc->details = g_array_new (FALSE, FALSE, sizeof (Detail));
  g_array_set_clear_func (doc->details, detail_clear);
  doc->sections = g_ptr_array_new_with_free_func (section_free);

  return doc;
}

PdmReportDoc *
pdm_report_doc_ref (PdmReportDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  g_atomic_ref_count_inc (&doc->ref_count);
  return doc;
}

void
pdm_report_doc_unref (PdmReportDoc *doc)
{
  g_return_if_fail (doc != NULL);

  if (!g_atomic_ref_count_dec (&doc->ref_count))
    return;

  g_free (doc->title);
  g_free (doc->subtitle);
  g_date_time_unref (doc->created);
  g_array_unref (doc->details);
  g_ptr_array_unref (doc->sections);
  g_free (doc);
}

void
pdm_report_doc_set_subtitle (PdmReportDoc *doc,
                             const char   *subtitle)
{
  g_return_if_fail (doc != NULL);

  pdm_set_string (&doc->subtitle, subtitle);
}

/* The date a report says it was made; a test or a re-issued report sets it. */
void
pdm_report_doc_set_created (PdmReportDoc *doc,
                            GDateTime    *created)
{
  g_return_if_fail (doc != NULL);
  g_return_if_fail (created != NULL);

  g_date_time_unref (doc->created);
  doc->created = g_date_time_ref (created);
}

void
pdm_report_doc_add_detail (PdmReportDoc *doc,
                           const char   *label,
                           const char   *value)
{
  Detail detail;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (label != NULL);

  detail.label = g_strdup (label);
  detail.value = g_strdup (value != NULL ? value : "");
  g_array_append_val (doc->details, detail);
}

/**
 * pdm_report_doc_add_section:
 *
 * Returns: (transfer none): the new last section, owned by @doc
 */
PdmReportSection *
pdm_report_doc_add_section (PdmReportDoc *doc,
                            const char   *heading)
{
  PdmReportSection *section;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (heading != NULL, NULL);

  section = g_new0 (PdmReportSection, 1);
  section->heading = g_strdup (heading);
  section->paragraphs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (doc->sections, section);

  return section;
}

const char *
pdm_report_doc_get_title (PdmReportDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return doc->title;
}

const char *
pdm_report_doc_get_subtitle (PdmReportDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return doc->subtitle;
}

/**
 * pdm_report_doc_get_created:
 *
 * Returns: (transfer none): when the report was made
 */
GDateTime *
pdm_report_doc_get_created (PdmReportDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return doc->created;
}

guint
pdm_report_doc_get_n_details (PdmReportDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->details->len;
}

const char *
pdm_report_doc_get_detail_label (PdmReportDoc *doc,
                                 guint         index)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (index < doc->details->len, NULL);

  return g_array_index (doc->details, Detail, index).label;
}

const char *
pdm_report_doc_get_detail_value (PdmReportDoc *doc,
                                 guint         index)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (index < doc->details->len, NULL);

  return g_array_index (doc->details, Detail, index).value;
}

guint
pdm_report_doc_get_n_sections (PdmReportDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->sections->len;
}

PdmReportSection *
pdm_report_doc_get_section (PdmReportDoc *doc,
                            guint         index)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (index < doc->sections->len, NULL);

  return g_ptr_array_index (doc->sections, index);
}

void
pdm_report_section_add_paragraph (PdmReportSection *section,
                                  const char       *text)
{
  g_return_if_fail (section != NULL);
  g_return_if_fail (text != NULL);

  g_ptr_array_add (section->paragraphs, g_strdup (text));
}

/**
 * pdm_report_section_add_table:
 *
 * Returns: (transfer none): the section's table, new and empty, owned by
 *   the section; a section has one table at most
 */
PdmReportTable *
pdm_report_section_add_table (PdmReportSection *section)
{
  PdmReportTable *table;

  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (section->table == NULL, NULL);

  table = g_new0 (PdmReportTable, 1);
  table->columns = g_ptr_array_new_with_free_func (column_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  section->table = table;

  return table;
}

/**
 * pdm_report_section_add_chart:
 *
 * Returns: (transfer none): the section's chart, new and empty, owned by
 *   the section; a section has one chart at most
 */
PdmReportChart *
pdm_report_section_add_chart (PdmReportSection   *section,
                              PdmReportChartKind  kind)
{
  PdmReportChart *chart;

  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (section->chart == NULL, NULL);

  chart = g_new0 (PdmReportChart, 1);
  chart->kind = kind;
  chart->value_kind = PDM_REPORT_KIND_DECIMAL;
  chart->value_decimals = 1;
  chart->series_names = g_ptr_array_new_with_free_func (g_free);
  chart->values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  chart->categories = g_ptr_array_new_with_free_func (g_free);
  section->chart = chart;

  return chart;
}

const char *
pdm_report_section_get_heading (PdmReportSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);

  return section->heading;
}

guint
pdm_report_section_get_n_paragraphs (PdmReportSection *section)
{
  g_return_val_if_fail (section != NULL, 0);

  return section->paragraphs->len;
}

const char *
pdm_report_section_get_paragraph (PdmReportSection *section,
                                  guint             index)
{
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (index < section->paragraphs->len, NULL);

  return g_ptr_array_index (section->paragraphs, index);
}

/**
 * pdm_report_section_get_table:
 *
 * Returns: (transfer none) (nullable): the section's table
 */
PdmReportTable *
pdm_report_section_get_table (PdmReportSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);

  return section->table;
}

/**
 * pdm_report_section_get_chart:
 *
 * Returns: (transfer none) (nullable): the section's chart
 */
PdmReportChart *
pdm_report_section_get_chart (PdmReportSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);

  return section->chart;
}

/**
 * pdm_report_table_add_column:
 * @header: the column's header, "Nilai pre-test"
 * @kind: what its cells hold
 * @decimals: how many decimals a number shows (ignored for text and integers)
 *
 * Numbers are aligned at the end, text at the start, until
 * pdm_report_table_set_column_align() says otherwise. Columns come before
 * rows.
 *
 * Returns: the index of the new column
 */
guint
pdm_report_table_add_column (PdmReportTable *table,
                             const char     *header,
                             PdmReportKind   kind,
                             guint           decimals)
{
  Column *column;

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (header != NULL, 0);
  g_return_val_if_fail (table->rows->len == 0 && table->footer == NULL, 0);
  g_return_val_if_fail (decimals <= 6, 0);

  column = g_new0 (Column, 1);
  column->header = g_strdup (header);
  column->kind = kind;
  column->decimals = (kind == PDM_REPORT_KIND_DECIMAL || kind == PDM_REPORT_KIND_PERCENT)
                     ? decimals : 0;
  column->align = kind == PDM_REPORT_KIND_TEXT ? PDM_REPORT_ALIGN_START : PDM_REPORT_ALIGN_END;
  g_ptr_array_add (table->columns, column);

  return table->columns->len - 1;
}

void
pdm_report_table_set_column_align (PdmReportTable *table,
                                   guint           column,
                                   PdmReportAlign  align)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (column < table->columns->len);

  ((Column *) g_ptr_array_index (table->columns, column))->align = align;
}

/* Returns: the index of the new row, whose cells are empty */
guint
pdm_report_table_add_row (PdmReportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (table->columns->len > 0, 0);

  g_ptr_array_add (table->rows, cells_new (table->columns->len));

  return table->rows->len - 1;
}

/* The cells of @row, PDM_REPORT_FOOTER_ROW making the footer when needed. */
static Cell *
lookup_cell (PdmReportTable *table,
             guint           row,
             guint           column,
             gboolean        create_footer)
{
  GArray *cells;

  if (row == PDM_REPORT_FOOTER_ROW)
    {
      if (table->footer == NULL && create_footer)
        table->footer = cells_new (table->columns->len);
      cells = table->footer;
    }
  else
    {
      cells = g_ptr_array_index (table->rows, row);
    }

  return cells != NULL ? &g_array_index (cells, Cell, column) : NULL;
}

static gboolean
is_valid_row (PdmReportTable *table,
              guint           row)
{
  return row == PDM_REPORT_FOOTER_ROW || row < table->rows->len;
}

/* @row may be PDM_REPORT_FOOTER_ROW. In a number column the text shows
 * only where there is no value. */
void
pdm_report_table_set_text (PdmReportTable *table,
                           guint           row,
                           guint           column,
                           const char     *text)
{
  Cell *cell;

  g_return_if_fail (table != NULL);
  g_return_if_fail (is_valid_row (table, row));
  g_return_if_fail (column < table->columns->len);

  cell = lookup_cell (table, row, column, TRUE);
  pdm_set_string (&cell->text, text);
}

/* @value is NAN for "no value"; @row may be PDM_REPORT_FOOTER_ROW. */
void
pdm_report_table_set_value (PdmReportTable *table,
                            guint           row,
                            guint           column,
                            double          value)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (is_valid_row (table, row));
  g_return_if_fail (column < table->columns->len);
  g_return_if_fail (pdm_report_table_get_kind (table, column) != PDM_REPORT_KIND_TEXT);
  g_return_if_fail (!isinf (value));

  lookup_cell (table, row, column, TRUE)->value = value;
}

guint
pdm_report_table_get_n_columns (PdmReportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);

  return table->columns->len;
}

static Column *
get_column (PdmReportTable *table,
            guint           column)
{
  return g_ptr_array_index (table->columns, column);
}

const char *
pdm_report_table_get_header (PdmReportTable *table,
                             guint           column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->columns->len, NULL);

  return get_column (table, column)->header;
}

PdmReportKind
pdm_report_table_get_kind (PdmReportTable *table,
                           guint           column)
{
  g_return_val_if_fail (table != NULL, PDM_REPORT_KIND_TEXT);
  g_return_val_if_fail (column < table->columns->len, PDM_REPORT_KIND_TEXT);

  return get_column (table, column)->kind;
}

guint
pdm_report_table_get_decimals (PdmReportTable *table,
                               guint           column)
{
  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (column < table->columns->len, 0);

  return get_column (table, column)->decimals;
}

PdmReportAlign
pdm_report_table_get_align (PdmReportTable *table,
                            guint           column)
{
  g_return_val_if_fail (table != NULL, PDM_REPORT_ALIGN_START);
  g_return_val_if_fail (column < table->columns->len, PDM_REPORT_ALIGN_START);

  return get_column (table, column)->align;
}

/* The body rows, without the footer. */
guint
pdm_report_table_get_n_rows (PdmReportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);

  return table->rows->len;
}

gboolean
pdm_report_table_has_footer (PdmReportTable *table)
{
  g_return_val_if_fail (table != NULL, FALSE);

  return table->footer != NULL;
}

/* Returns: (nullable): the text of a cell */
const char *
pdm_report_table_get_text (PdmReportTable *table,
                           guint           row,
                           guint           column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (is_valid_row (table, row), NULL);
  g_return_val_if_fail (column < table->columns->len, NULL);

  cell = lookup_cell (table, row, column, FALSE);
  return cell != NULL ? cell->text : NULL;
}

/* Returns: the number of a cell, NAN when it has none */
double
pdm_report_table_get_value (PdmReportTable *table,
                            guint           row,
                            guint           column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, NAN);
  g_return_val_if_fail (is_valid_row (table, row), NAN);
  g_return_val_if_fail (column < table->columns->len, NAN);

  cell = lookup_cell (table, row, column, FALSE);
  return cell != NULL ? cell->value : NAN;
}

/**
 * pdm_report_table_format_cell:
 *
 * A cell as a person reads it in the current locale: its number
 * ("1.234", "72,5", "72,5%"), else its text, else "—" in a number column
 * of the body (a participant without a post-test) and nothing in the
 * footer or a text column.
 *
 * Returns: (transfer full): the text to show
 */
char *
pdm_report_table_format_cell (PdmReportTable *table,
                              guint           row,
                              guint           column)
{
  Column *col;
  double value;
  const char *text;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (is_valid_row (table, row), NULL);
  g_return_val_if_fail (column < table->columns->len, NULL);

  col = get_column (table, column);
  value = pdm_report_table_get_value (table, row, column);
  text = pdm_report_table_get_text (table, row, column);

  if (!isnan (value))
    return pdm_report_format_value (col->kind, col->decimals, value);
  if (text != NULL)
    return g_strdup (text);
  if (row == PDM_REPORT_FOOTER_ROW || col->kind == PDM_REPORT_KIND_TEXT)
    return g_strdup ("");
  return g_strdup (NO_VALUE);
}

/**
 * pdm_report_format_value:
 * @kind: how to read @value
 * @decimals: for %PDM_REPORT_KIND_DECIMAL and %PDM_REPORT_KIND_PERCENT
 * @value: a number, or NAN
 *
 * Returns: (transfer full): @value in the current locale, "—" for NAN
 */
char *
pdm_report_format_value (PdmReportKind kind,
                         guint         decimals,
                         double        value)
{
  g_autofree char *number = NULL;

  if (isnan (value))
    return g_strdup (NO_VALUE);

  switch (kind)
    {
    case PDM_REPORT_KIND_INTEGER:
      return pdm_format_decimal (value, 0);
    case PDM_REPORT_KIND_PERCENT:
      number = pdm_format_decimal (value, decimals);
      /* Translators: a percentage, %s is the number; Indonesian writes "72,5%" */
      return g_strdup_printf (C_("percent", "%s%%"), number);
    case PDM_REPORT_KIND_TEXT:
    case PDM_REPORT_KIND_DECIMAL:
    default:
      return pdm_format_decimal (value, decimals);
    }
}

void
pdm_report_chart_set_value_format (PdmReportChart *chart,
                                   PdmReportKind   kind,
                                   guint           decimals)
{
  g_return_if_fail (chart != NULL);
  g_return_if_fail (kind != PDM_REPORT_KIND_TEXT);
  g_return_if_fail (decimals <= 6);

  chart->value_kind = kind;
  chart->value_decimals = kind == PDM_REPORT_KIND_INTEGER ? 0 : decimals;
}

/* @max is the top of the value axis (100 for scores, 4 for a 1–4 rating),
 * or 0 to fit the data; @label names the values ("Nilai rata-rata"). */
void
pdm_report_chart_set_axis (PdmReportChart *chart,
                           double          max,
                           const char     *label)
{
  g_return_if_fail (chart != NULL);
  g_return_if_fail (max >= 0 && isfinite (max));

  chart->axis_max = max;
  pdm_set_string (&chart->axis_label, label);
}

/* Names what the categories are, under them: "Peserta, urut nilai pre-test". */
void
pdm_report_chart_set_category_label (PdmReportChart *chart,
                                     const char     *label)
{
  g_return_if_fail (chart != NULL);

  pdm_set_string (&chart->category_label, label);
}

/* Stacked bars show a whole split in parts: the share of Sangat Baik, Baik,
 * Cukup and Kurang of each criterion. */
void
pdm_report_chart_set_stacked (PdmReportChart *chart,
                              gboolean        stacked)
{
  g_return_if_fail (chart != NULL);

  chart->stacked = !!stacked;
}

/* Returns: the index of the new series, whose values are all NAN */
guint
pdm_report_chart_add_series (PdmReportChart *chart,
                             const char     *name)
{
  GArray *values;

  g_return_val_if_fail (chart != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  values = g_array_sized_new (FALSE, FALSE, sizeof (double), chart->categories->len);
  for (guint i = 0; i < chart->categories->len; i++)
    {
      double none = NAN;

      g_array_append_val (values, none);
    }
  g_ptr_array_add (chart->values, values);
  g_ptr_array_add (chart->series_names, g_strdup (name));

  return chart->series_names->len - 1;
}

/* Returns: the index of the new category, whose values are all NAN */
guint
pdm_report_chart_add_category (PdmReportChart *chart,
                               const char     *label)
{
  g_return_val_if_fail (chart != NULL, 0);
  g_return_val_if_fail (label != NULL, 0);

  for (guint i = 0; i < chart->values->len; i++)
    {
      double none = NAN;

      g_array_append_val ((GArray *) g_ptr_array_index (chart->values, i), none);
    }
  g_ptr_array_add (chart->categories, g_strdup (label));

  return chart->categories->len - 1;
}

void
pdm_report_chart_set_value (PdmReportChart *chart,
                            guint           series,
                            guint           category,
                            double          value)
{
  g_return_if_fail (chart != NULL);
  g_return_if_fail (series < chart->values->len);
  g_return_if_fail (category < chart->categories->len);
  g_return_if_fail (!isinf (value));

  g_array_index ((GArray *) g_ptr_array_index (chart->values, series), double, category) = value;
}

PdmReportChartKind
pdm_report_chart_get_kind (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, PDM_REPORT_CHART_BAR);

  return chart->kind;
}

PdmReportKind
pdm_report_chart_get_value_kind (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, PDM_REPORT_KIND_DECIMAL);

  return chart->value_kind;
}

/* Returns: the top of the value axis, 0 when it fits the data */
double
pdm_report_chart_get_axis_max (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);

  return chart->axis_max;
}

const char *
pdm_report_chart_get_axis_label (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);

  return chart->axis_label;
}

const char *
pdm_report_chart_get_category_label (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);

  return chart->category_label;
}

gboolean
pdm_report_chart_get_stacked (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, FALSE);

  return chart->stacked;
}

guint
pdm_report_chart_get_n_series (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);

  return chart->series_names->len;
}

const char *
pdm_report_chart_get_series_name (const PdmReportChart *chart,
                                  guint                 series)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (series < chart->series_names->len, NULL);

  return g_ptr_array_index (chart->series_names, series);
}

guint
pdm_report_chart_get_n_categories (const PdmReportChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);

  return chart->categories->len;
}

const char *
pdm_report_chart_get_category (const PdmReportChart *chart,
                               guint                 category)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (category < chart->categories->len, NULL);

  return g_ptr_array_index (chart->categories, category);
}

/* Returns: a value, NAN when the category has none in @series */
double
pdm_report_chart_get_value (const PdmReportChart *chart,
                            guint                 series,
                            guint                 category)
{
  g_return_val_if_fail (chart != NULL, NAN);
  g_return_val_if_fail (series < chart->values->len, NAN);
  g_return_val_if_fail (category < chart->categories->len, NAN);

  return g_array_index ((GArray *) g_ptr_array_index (chart->values, series), double, category);
}

/* Returns: (transfer full): @value as the chart's labels show it */
char *
pdm_report_chart_format_value (const PdmReportChart *chart,
                               double                value)
{
  g_return_val_if_fail (chart != NULL, NULL);

  return pdm_report_format_value (chart->value_kind, chart->value_decimals, value);
}

/* A number as Excel reads it from a CSV: no digit grouping, whose dots
 * Excel would take for decimal marks under English settings, and the
 * decimal mark that goes with the separator (a `;` file comes from and goes
 * to Excel in settings, Indonesian among them, whose decimal mark is `,`). */
static char *
format_csv_number (PdmReportKind kind,
                   guint         decimals,
                   double        value,
                   char          separator)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  g_snprintf (format, sizeof format, "%%.%uf", decimals);
  g_ascii_formatd (buffer, sizeof buffer, format, value);
  if (separator == ';')
    g_strdelimit (buffer, ".", ',');
  /* "-0,0" reads as a loss where there is none. */
  if (buffer[0] == '-' && strpbrk (buffer, "123456789") == NULL)
    memmove (buffer, buffer + 1, strlen (buffer));

  return kind == PDM_REPORT_KIND_PERCENT ? g_strconcat (buffer, "%", NULL) : g_strdup (buffer);
}

static void
append_csv_table_row (GString        *out,
                      PdmReportTable *table,
                      guint           row,
                      char            separator)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < table->columns->len; c++)
    {
      Column *column = get_column (table, c);
      double value = pdm_report_table_get_value (table, row, c);

      if (!isnan (value))
        g_ptr_array_add (fields,
                         format_csv_number (column->kind, column->decimals, value, separator));
      else
        g_ptr_array_add (fields, g_strdup (pdm_report_table_get_text (table, row, c)));
    }

  pdm_csv_append_row (out, (const char * const *) fields->pdata, fields->len, separator);
}

/**
 * pdm_report_doc_to_csv:
 * @separator: `;` for Excel in Indonesian settings
 *
 * Every table of @doc one after the other, each under a line with its
 * section's heading and followed by an empty line, for a spreadsheet:
 * UTF-8 with a BOM, numbers without grouping (see format_csv_number()),
 * a missing number as an empty cell.
 *
 * Returns: (transfer full): the CSV text
 */
GBytes *
pdm_report_doc_to_csv (PdmReportDoc *doc,
                       char          separator)
{
  GString *out;
  gboolean first = TRUE;

  g_return_val_if_fail (doc != NULL, NULL);

  out = g_string_new (NULL);
  pdm_csv_append_bom (out);

  for (guint s = 0; s < doc->sections->len; s++)
    {
      PdmReportSection *section = g_ptr_array_index (doc->sections, s);
      PdmReportTable *table = section->table;
      const char *heading = section->heading;
      g_autofree const char **headers = NULL;

      if (table == NULL || table->columns->len == 0)
        continue;

      if (!first)
        g_string_append (out, "\r\n");
      first = FALSE;

      pdm_csv_append_row (out, &heading, 1, separator);
      headers = g_new (const char *, table->columns->len);
      for (guint c = 0; c < table->columns->len; c++)
        headers[c] = get_column (table, c)->header;
      pdm_csv_append_row (out, headers, table->columns->len, separator);

      for (guint r = 0; r < table->rows->len; r++)
        append_csv_table_row (out, table, r, separator);
      if (table->footer != NULL)
        append_csv_table_row (out, table, PDM_REPORT_FOOTER_ROW, separator);
    }

  return g_string_free_to_bytes (out);
}

/* Writes pdm_report_doc_to_csv() to @path, replacing a file there only once
 * the new one is complete. */
gboolean
pdm_report_doc_write_csv (PdmReportDoc  *doc,
                          const char    *path,
                          char           separator,
                          GError       **error)
{
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  csv = pdm_report_doc_to_csv (doc, separator);
  data = g_bytes_get_data (csv, &len);
  if (!g_file_set_contents (path, data, len, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, PDM_ERROR, PDM_ERROR_FAILED,
                   /* Translators: the first %s is a file path, the second the reason */
                   _("The report could not be saved as %s: %s"),
                   display, local_error->message);
      return FALSE;
    }

  return TRUE;
}
