/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-report-xlsx"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "pdm-error.h"
#include "pdm-report-util.h"
#include "pdm-report-xlsx.h"
#include "pdm-util.h"

/* Column widths in Excel's units, about one character each. */
#define MIN_COLUMN_WIDTH 6
#define MAX_COLUMN_WIDTH 50

typedef struct
{
  lxw_workbook *workbook;
  GHashTable   *formats;   /* "kind:decimals:footer" → lxw_format, owned by the workbook */
  lxw_format   *title;
  lxw_format   *bold;
  lxw_format   *header;
  lxw_format   *link;
} Writer;

/* A message a person can act on for what libxlsxwriter reports. */
static const char *
describe_error (lxw_error code)
{
  switch (code)
    {
    case LXW_ERROR_CREATING_XLSX_FILE:
      return _("the file cannot be created there; check that the folder exists and "
               "that you may write in it");
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
      return _("no temporary file could be written; the disk may be full");
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
      return _("the compressed file could not be written; the disk may be full");
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
      return _("there is not enough memory");
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
      return _("a cell holds more than 32,767 characters, the most a spreadsheet cell can");
    case LXW_NO_ERROR:
    default:
      /* Only a defect of this file leads here; the library's words say which. */
      return lxw_strerror (code);
    }
}

static gboolean
check (lxw_error    code,
       const char  *path,
       GError     **error)
{
  if (code == LXW_NO_ERROR)
    return TRUE;

  _pdm_report_set_save_error (error, path, describe_error (code));
  return FALSE;
}

/* Excel's number format for @kind: "#,##0.0", "0.0%". Excel shows it with
 * the reader's own marks, "1.234,5" in Indonesian settings. */
static char *
number_format (PdmReportKind kind,
               guint         decimals)
{
  g_autofree char *fraction = decimals > 0 ? g_strnfill (decimals, '0') : g_strdup ("");
  const char *point = decimals > 0 ? "." : "";

  if (kind == PDM_REPORT_KIND_PERCENT)
    return g_strdup_printf ("0%s%s%%", point, fraction);

  return g_strdup_printf ("#,##0%s%s", point, fraction);
}

static lxw_format *
cell_format (Writer         *self,
             PdmReportTable *table,
             guint           column,
             gboolean        footer)
{
  PdmReportKind kind = pdm_report_table_get_kind (table, column);
  guint decimals = pdm_report_table_get_decimals (table, column);
  g_autofree char *key = g_strdup_printf ("%d:%u:%d", kind, decimals, footer);
  lxw_format *format = g_hash_table_lookup (self->formats, key);

  if (format != NULL)
    return format;

  format = workbook_add_format (self->workbook);
  if (kind != PDM_REPORT_KIND_TEXT)
    {
      g_autofree char *num_format = number_format (kind, decimals);

      format_set_num_format (format, num_format);
    }
  if (footer)
    {
      format_set_bold (format);
      format_set_top (format, LXW_BORDER_THIN);
    }
  format_set_align (format, LXW_ALIGN_VERTICAL_TOP);
  g_hash_table_insert (self->formats, g_steal_pointer (&key), format);

  return format;
}

static gboolean
write_cell (Writer          *self,
            lxw_worksheet   *sheet,
            PdmReportTable  *table,
            guint            row,
            guint            column,
            lxw_row_t        sheet_row,
            const char      *path,
            GError         **error)
{
  double value = pdm_report_table_get_value (table, row, column);
  const char *text = pdm_report_table_get_text (table, row, column);
  lxw_format *format = cell_format (self, table, column, row == PDM_REPORT_FOOTER_ROW);
  lxw_error code;

  /* A spreadsheet keeps the number itself, for sums and charts; Excel
   * reads a percentage as a fraction. */
  if (!isnan (value))
    {
      if (pdm_report_table_get_kind (table, column) == PDM_REPORT_KIND_PERCENT)
        value /= 100;
      code = worksheet_write_number (sheet, sheet_row, column, value, format);
    }
  else if (text != NULL && *text != '\0')
    code = worksheet_write_string (sheet, sheet_row, column, text, format);
  else
    code = worksheet_write_blank (sheet, sheet_row, column, format);

  return check (code, path, error);
}

/* The width of the longest line of @text in characters. */
static guint
text_width (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint width = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    width = MAX (width, (guint) g_utf8_strlen (lines[i], -1));

  return width;
}

static gboolean
write_table_sheet (Writer          *self,
                   lxw_worksheet   *sheet,
                   PdmReportTable  *table,
                   const char      *path,
                   GError         **error)
{
  guint n_columns = pdm_report_table_get_n_columns (table);
  guint n_rows = pdm_report_table_get_n_rows (table);
  gboolean footer = pdm_report_table_has_footer (table);

  for (guint c = 0; c < n_columns; c++)
    {
      const char *header = pdm_report_table_get_header (table, c);
      guint width = text_width (header);

      if (!check (worksheet_write_string (sheet, 0, c, header, self->header), path, error))
        return FALSE;

      for (guint r = 0; r < n_rows + (footer ? 1 : 0); r++)
        {
          guint row = r < n_rows ? r : PDM_REPORT_FOOTER_ROW;
          g_autofree char *shown = pdm_report_table_format_cell (table, row, c);

          if (!write_cell (self, sheet, table, row, c, r + 1, path, error))
            return FALSE;
          width = MAX (width, text_width (shown));
        }

      worksheet_set_column (sheet, c, c, CLAMP (width + 2, MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH),
                            NULL);
    }

  /* The header stays in view while the rows scroll. */
  worksheet_freeze_panes (sheet, 1, 0);

  return TRUE;
}

static gboolean
is_forbidden_in_sheet_name (gunichar c)
{
  return c == ':' || c == '\\' || c == '/' || c == '?' || c == '*' || c == '[' || c == ']' ||
         g_unichar_iscntrl (c);
}

static gboolean
is_taken (GPtrArray  *taken,
          const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; i < taken->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (taken, i), -1);

      if (g_str_equal (folded, other))
        return TRUE;
    }

  return FALSE;
}

/* @text without spaces and apostrophes at either end, which Excel refuses. */
static char *
strip_apostrophes (const char *text)
{
  g_autofree char *copy = g_strdup (text);
  char *start = g_strstrip (copy);
  gsize len;

  while (*start == '\'' || *start == ' ')
    start++;
  len = strlen (start);
  while (len > 0 && (start[len - 1] == '\'' || start[len - 1] == ' '))
    start[--len] = '\0';

  return g_strdup (start);
}

/**
 * pdm_xlsx_sheet_name:
 * @name: what the sheet shows, a section's heading
 * @taken: (element-type utf8): the names of the sheets already there
 *
 * Makes @name a worksheet name that Excel accepts: none of : \ / ? * [ ],
 * no apostrophe at either end, at most 31 characters, and apart from every
 * name of @taken regardless of case ("Nilai (2)"). Excel reserves
 * "History".
 *
 * Returns: (transfer full): the name, also added to @taken
 */
char *
pdm_xlsx_sheet_name (const char *name,
                     GPtrArray  *taken)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autofree char *base = NULL;
  char *result = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (taken != NULL, NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (clean->len > 0 && clean->str[clean->len - 1] != ' ')
            g_string_append_c (clean, ' ');
        }
      else if (is_forbidden_in_sheet_name (c))
        {
          g_string_append_c (clean, '-');
        }
      else
        {
          g_string_append_unichar (clean, c);
        }
    }

  base = strip_apostrophes (clean->str);

  if (*base == '\0' || g_ascii_strcasecmp (base, "History") == 0)
    {
      g_free (base);
      base = g_strdup_printf (_("Table %u"), taken->len + 1);
    }

  for (guint n = 1; result == NULL; n++)
    {
      g_autofree char *suffix = n > 1 ? g_strdup_printf (" (%u)", n) : g_strdup ("");
      glong room = PDM_XLSX_SHEET_NAME_MAX - g_utf8_strlen (suffix, -1);
      g_autofree char *cut = g_utf8_substring (base, 0, MIN (g_utf8_strlen (base, -1), room));
      /* A cut may end on a space or an apostrophe. */
      g_autofree char *end = strip_apostrophes (cut);
      g_autofree char *candidate = g_strconcat (end, suffix, NULL);

      if (!is_taken (taken, candidate))
        result = g_steal_pointer (&candidate);
    }

  g_ptr_array_add (taken, g_strdup (result));
  return result;
}

static gboolean
write_summary (Writer         *self,
               lxw_worksheet  *sheet,
               PdmReportDoc   *doc,
               GPtrArray      *sheet_names,
               const char     *path,
               GError        **error)
{
  g_autofree char *day = pdm_format_day (pdm_report_doc_get_created (doc));
  g_autofree char *created = g_strdup_printf (_("Created %s"), day);
  const char *subtitle = pdm_report_doc_get_subtitle (doc);
  lxw_row_t row = 0;
  guint n_tables = 0;
  guint label_width = 12;
  guint value_width = 30;

  if (!check (worksheet_write_string (sheet, row++, 0, pdm_report_doc_get_title (doc),
                                      self->title), path, error))
    return FALSE;
  if (subtitle != NULL &&
      !check (worksheet_write_string (sheet, row++, 0, subtitle, NULL), path, error))
    return FALSE;
  row++;

  for (guint i = 0; i < pdm_report_doc_get_n_details (doc); i++, row++)
    {
      const char *label = pdm_report_doc_get_detail_label (doc, i);
      const char *value = pdm_report_doc_get_detail_value (doc, i);

      if (!check (worksheet_write_string (sheet, row, 0, label, self->bold), path, error) ||
          !check (worksheet_write_string (sheet, row, 1, value, NULL), path, error))
        return FALSE;
      label_width = MAX (label_width, text_width (label) + 2);
      value_width = MAX (value_width, text_width (value) + 2);
    }
  if (!check (worksheet_write_string (sheet, row++, 0, created, NULL), path, error))
    return FALSE;
  row++;

  /* Each section: its heading, a link to the sheet of its table, its text. */
  for (guint i = 0; i < pdm_report_doc_get_n_sections (doc); i++)
    {
      PdmReportSection *section = pdm_report_doc_get_section (doc, i);
      PdmReportTable *table = pdm_report_section_get_table (section);

      if (!check (worksheet_write_string (sheet, row, 0, pdm_report_section_get_heading (section),
                                          self->bold), path, error))
        return FALSE;
      if (table != NULL && pdm_report_table_get_n_columns (table) > 0)
        {
          const char *sheet_name = g_ptr_array_index (sheet_names, n_tables++);
          g_autofree char *quoted = NULL;
          g_autofree char *url = NULL;
          g_auto(GStrv) parts = g_strsplit (sheet_name, "'", -1);

          /* In a reference, a sheet name is quoted and its apostrophes doubled. */
          quoted = g_strjoinv ("''", parts);
          url = g_strdup_printf ("internal:'%s'!A1", quoted);
          /* The link's text replaces the URL it shows, as the library's
           * documentation does it. */
          if (!check (worksheet_write_url (sheet, row, 1, url, self->link), path, error) ||
              !check (worksheet_write_string (sheet, row, 1, sheet_name, self->link), path, error))
            return FALSE;
        }
      row++;

      for (guint p = 0; p < pdm_report_section_get_n_paragraphs (section); p++)
        {
          if (!check (worksheet_write_string (sheet, row++, 0,
                                              pdm_report_section_get_paragraph (section, p),
                                              NULL), path, error))
            return FALSE;
        }
      row++;
    }

  worksheet_set_column (sheet, 0, 0, MIN (label_width, MAX_COLUMN_WIDTH), NULL);
  worksheet_set_column (sheet, 1, 1, MIN (value_width, MAX_COLUMN_WIDTH), NULL);

  return TRUE;
}

static gboolean
write_workbook (Writer        *self,
                PdmReportDoc  *doc,
                const char    *path,
                GError       **error)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sheet_names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary_name = pdm_xlsx_sheet_name (_("Summary"), taken);
  lxw_worksheet *summary;
  lxw_doc_properties properties = { 0, };

  properties.title = (char *) pdm_report_doc_get_title (doc);
  properties.subject = (char *) pdm_report_doc_get_subtitle (doc);
  properties.created = (time_t) g_date_time_to_unix (pdm_report_doc_get_created (doc));
  if (!check (workbook_set_properties (self->workbook, &properties), path, error))
    return FALSE;

  self->title = workbook_add_format (self->workbook);
  format_set_bold (self->title);
  format_set_font_size (self->title, 14);
  self->bold = workbook_add_format (self->workbook);
  format_set_bold (self->bold);
  format_set_align (self->bold, LXW_ALIGN_VERTICAL_TOP);
  self->header = workbook_add_format (self->workbook);
  format_set_bold (self->header);
  format_set_text_wrap (self->header);
  format_set_align (self->header, LXW_ALIGN_VERTICAL_TOP);
  format_set_bottom (self->header, LXW_BORDER_THIN);
  format_set_bg_color (self->header, PDM_REPORT_COLOR_HEADER_BG);
  self->link = workbook_add_format (self->workbook);
  format_set_underline (self->link, LXW_UNDERLINE_SINGLE);
  format_set_font_color (self->link, LXW_COLOR_BLUE);

  /* The summary comes first, but links to the sheets, so their names are
   * made first. */
  summary = workbook_add_worksheet (self->workbook, summary_name);
  for (guint i = 0; i < pdm_report_doc_get_n_sections (doc); i++)
    {
      PdmReportSection *section = pdm_report_doc_get_section (doc, i);
      PdmReportTable *table = pdm_report_section_get_table (section);

      if (table != NULL && pdm_report_table_get_n_columns (table) > 0)
        g_ptr_array_add (sheet_names,
                         pdm_xlsx_sheet_name (pdm_report_section_get_heading (section), taken));
    }
  /* The names are valid by now: no sheet is ever missing but by a defect. */
  if (summary == NULL)
    return check (LXW_ERROR_PARAMETER_VALIDATION, path, error);
  if (!write_summary (self, summary, doc, sheet_names, path, error))
    return FALSE;

  for (guint i = 0, n = 0; i < pdm_report_doc_get_n_sections (doc); i++)
    {
      PdmReportTable *table = pdm_report_section_get_table (pdm_report_doc_get_section (doc, i));
      lxw_worksheet *sheet;

      if (table == NULL || pdm_report_table_get_n_columns (table) == 0)
        continue;

      sheet = workbook_add_worksheet (self->workbook, g_ptr_array_index (sheet_names, n++));
      if (sheet == NULL)
        return check (LXW_ERROR_PARAMETER_VALIDATION, path, error);
      if (!write_table_sheet (self, sheet, table, path, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * pdm_report_doc_write_xlsx:
 * @doc: the report
 * @path: where to save it; a file there is replaced once the new one is
 *   complete
 * @error: a #GError, or %NULL
 *
 * Writes @doc as an Excel workbook: a summary sheet with the title, the
 * details and a link to each table, then a sheet per table, its header
 * bold and frozen, its numbers stored as numbers with number formats.
 *
 * Returns: %TRUE when @path holds the workbook
 */
gboolean
pdm_report_doc_write_xlsx (PdmReportDoc  *doc,
                           const char    *path,
                           GError       **error)
{
  g_autofree char *tmp_path = NULL;
  Writer self = { NULL, };
  locale_t c_numeric, previous;
  gboolean ok;
  lxw_error code;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tmp_path = _pdm_report_tmp_new (path, error);
  if (tmp_path == NULL)
    return FALSE;

  /* libxlsxwriter writes numbers with printf("%.16G"), which puts the
   * locale's decimal comma into the XML under id_ID, and Excel then calls
   * the file damaged. The C locale for numbers on this thread alone keeps
   * other threads, the interface among them, in the user's locale. */
  c_numeric = newlocale (LC_NUMERIC_MASK, "C", duplocale (uselocale ((locale_t) 0)));
  if (c_numeric == (locale_t) 0)
    {
      g_unlink (tmp_path);
      _pdm_report_set_save_error (error, path, g_strerror (errno));
      return FALSE;
    }
  previous = uselocale (c_numeric);

  self.workbook = workbook_new (tmp_path);
  self.formats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (self.workbook == NULL)
    {
      ok = check (LXW_ERROR_MEMORY_MALLOC_FAILED, path, error);
    }
  else
    {
      ok = write_workbook (&self, doc, path, error);
      /* Closing writes the file, and frees the workbook in any case. */
      code = workbook_close (self.workbook);
      if (ok)
        ok = check (code, path, error);
    }
  g_hash_table_unref (self.formats);

  uselocale (previous);
  freelocale (c_numeric);

  if (!ok)
    {
      g_unlink (tmp_path);
      return FALSE;
    }

  return _pdm_report_tmp_commit (tmp_path, path, error);
}
