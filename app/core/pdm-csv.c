/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-csv"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-csv.h"
#include "pdm-error.h"

#define UTF8_BOM "\xEF\xBB\xBF"
/* A UTF-8 BOM that some tool read as Windows-1252 and saved again as UTF-8. */
#define UTF8_BOM_AS_CP1252 "\xC3\xAF\xC2\xBB\xC2\xBF"

struct _PdmCsvReader
{
  GBytes     *bytes;
  char       *converted;   /* owns @text when the file was not UTF-8 */
  const char *text;        /* points into @bytes or @converted */
  gsize       len;
  gsize       pos;
  guint       row;         /* Excel's row number for the text at @pos */
  char        separator;
  GString    *cell;        /* reused for quoted cells */
};

/* The length of the line end at @pos: CRLF, LF, or the lone CR of Excel for
 * Mac's "CSV (Macintosh)"; 0 when there is none. */
static gsize
line_end_length (const char *text,
                 gsize       len,
                 gsize       pos)
{
  if (pos >= len)
    return 0;
  if (text[pos] == '\n')
    return 1;
  if (text[pos] == '\r')
    return (pos + 1 < len && text[pos + 1] == '\n') ? 2 : 1;
  return 0;
}

/* The 1-based line of @offset, for problems found before the rows are read. */
static guint
line_at (const char *text,
         gsize       len,
         gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
        line++;
    }

  return line;
}

/* TRUE when @text holds a well-formed multi-byte UTF-8 sequence. A file that
 * has those besides invalid bytes is damaged UTF-8, and reading it as
 * Windows-1252 would garble every name with an accent in it. */
static gboolean
has_utf8_sequences (const char *text,
                    gsize       len)
{
  gsize pos = 0;

  while (pos < len)
    {
      const char *end = NULL;

      g_utf8_validate_len (text + pos, len - pos, &end);
      for (const char *p = text + pos; p < end; p++)
        {
          if ((guchar) *p >= 0x80)
            return TRUE;
        }
      pos = (gsize) (end - text) + 1;
    }

  return FALSE;
}

static gboolean
is_undefined_in_cp1252 (guchar byte)
{
  return byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D;
}

/* Converts @data to UTF-8; @self then owns the text. */
static gboolean
take_converted (PdmCsvReader  *self,
                const char    *data,
                gsize          len,
                const char    *charset,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize written = 0;

  self->converted = g_convert (data, len, "UTF-8", charset, NULL, &written, &local_error);
  if (self->converted == NULL)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   /* Translators: the first %s is an encoding such as WINDOWS-1252,
                    * the second the reason of the conversion library */
                   _("The file could not be read as %s text: %s"),
                   charset, local_error->message);
      return FALSE;
    }

  self->text = self->converted;
  self->len = written;
  return TRUE;
}

static gboolean
decode_cp1252 (PdmCsvReader  *self,
               const char    *data,
               gsize          len,
               GError       **error)
{
  for (gsize i = 0; i < len; i++)
    {
      if (is_undefined_in_cp1252 ((guchar) data[i]))
        {
          g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                       /* Translators: %u is a line number, 0x%02X a byte value like 0x81 */
                       _("Line %u has the byte 0x%02X, which is neither UTF-8 nor Windows-1252 "
                         "text; save the file from the spreadsheet as “CSV UTF-8”"),
                       line_at (data, len, i), (guchar) data[i]);
          return FALSE;
        }
    }

  return take_converted (self, data, len, "WINDOWS-1252", error);
}

static gboolean
decode (PdmCsvReader  *self,
        GError       **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (self->bytes, &len);
  const char *nul;
  const char *invalid = NULL;

  /* GLib hands out no pointer for zero bytes. */
  if (data == NULL)
    data = "";

  if (len >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE) ||
                   ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      /* Excel saves "Unicode Text" as UTF-16 with a BOM. */
      const char *charset = (guchar) data[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";

      if (!take_converted (self, data + 2, len - 2, charset, error))
        return FALSE;
      data = self->text;
      len = self->len;
    }
  else if (len >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  /* A spreadsheet's native file (.xlsx, .xls) chosen by mistake. */
  nul = memchr (data, '\0', len);
  if (nul != NULL)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("The file is not CSV text (line %u holds binary data); save it from the "
                     "spreadsheet as “CSV UTF-8”"),
                   line_at (data, len, (gsize) (nul - data)));
      return FALSE;
    }

  if (g_utf8_validate_len (data, len, &invalid))
    {
      self->text = data;
      self->len = len;
      return TRUE;
    }

  if (has_utf8_sequences (data, len))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("The file is UTF-8 text except on line %u, which is damaged or in "
                     "another encoding; correct that line or save the file again as “CSV UTF-8”"),
                   line_at (data, len, (gsize) (invalid - data)));
      return FALSE;
    }

  return decode_cp1252 (self, data, len, error);
}

/* Excel honours a first line "sep=;" and hides it, so it takes no row number. */
static gboolean
read_separator_hint (PdmCsvReader *self)
{
  gsize end;

  if (self->len < 5 || g_ascii_strncasecmp (self->text, "sep=", 4) != 0)
    return FALSE;
  end = line_end_length (self->text, self->len, 5);
  if (self->len > 5 && end == 0)
    return FALSE;
  if (self->text[4] == '"' || self->text[4] == '\r' || self->text[4] == '\n')
    return FALSE;

  self->separator = self->text[4];
  self->pos = 5 + end;
  return TRUE;
}

/* Counts the candidates outside quotes in the header; a tie goes to `;`,
 * the separator of Excel in Indonesian settings. */
static char
detect_separator (const char *text,
                  gsize       len,
                  gsize       pos)
{
  static const char candidates[] = { ';', ',', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0, };
  gboolean in_quotes = FALSE;
  char best = candidates[0];
  guint best_count = 0;

  while (pos < len && (text[pos] == '\r' || text[pos] == '\n'))
    pos++;

  for (; pos < len; pos++)
    {
      if (text[pos] == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && (text[pos] == '\r' || text[pos] == '\n'))
        break;
      else if (!in_quotes)
        {
          for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
            {
              if (text[pos] == candidates[i])
                counts[i]++;
            }
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (counts[i] > best_count)
        {
          best = candidates[i];
          best_count = counts[i];
        }
    }

  return best;
}

static gboolean
is_blank (const char *text,
          gsize       len,
          gsize       pos)
{
  for (; pos < len; pos++)
    {
      if (text[pos] != '\r' && text[pos] != '\n')
        return FALSE;
    }

  return TRUE;
}

/**
 * pdm_csv_reader_new:
 * @data: the bytes of the file
 *
 * Decodes @data (UTF-8 with or without a BOM, UTF-16 with a BOM, or else
 * Windows-1252) and detects its separator from the header line.
 *
 * Returns: (transfer full): a reader positioned at the header, or %NULL
 */
PdmCsvReader *
pdm_csv_reader_new (GBytes  *data,
                    GError **error)
{
  g_autoptr(PdmCsvReader) self = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (PdmCsvReader, 1);
  self->bytes = g_bytes_ref (data);
  self->row = 1;
  self->cell = g_string_new (NULL);

  if (!decode (self, error))
    return NULL;

  if (!read_separator_hint (self))
    self->separator = detect_separator (self->text, self->len, self->pos);

  if (is_blank (self->text, self->len, self->pos))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                           _("The file is empty"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
pdm_csv_reader_free (PdmCsvReader *self)
{
  if (self == NULL)
    return;

  g_bytes_unref (self->bytes);
  g_free (self->converted);
  g_string_free (self->cell, TRUE);
  g_free (self);
}

char
pdm_csv_reader_get_separator (PdmCsvReader *self)
{
  g_return_val_if_fail (self != NULL, '\0');

  return self->separator;
}

static gboolean
is_cell_end (PdmCsvReader *self,
             gsize         pos)
{
  char c;

  if (pos >= self->len)
    return TRUE;

  c = self->text[pos];
  return c == self->separator || c == '\r' || c == '\n';
}

/* Reads the cell at self->pos and leaves self->pos on what ends it. A line
 * break inside quotes becomes "\n" whatever the file used, as in Excel. */
static char *
read_cell (PdmCsvReader  *self,
           guint          row,
           GError       **error)
{
  const char *text = self->text;
  gsize pos = self->pos;

  if (pos >= self->len || text[pos] != '"')
    {
      gsize start = pos;

      while (!is_cell_end (self, pos))
        pos++;

      self->pos = pos;
      return g_strndup (text + start, pos - start);
    }

  g_string_truncate (self->cell, 0);
  for (pos++;; pos++)
    {
      if (pos >= self->len)
        {
          g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                       _("Row %u opens a quotation mark that is never closed, so the rest of "
                         "the file would be one cell; check the quotes in that row"),
                       row);
          self->pos = self->len;
          return NULL;
        }

      if (text[pos] == '"')
        {
          if (pos + 1 < self->len && text[pos + 1] == '"')
            pos++;
          else
            break;
        }
      else if (text[pos] == '\r')
        {
          if (pos + 1 < self->len && text[pos + 1] == '\n')
            pos++;
          g_string_append_c (self->cell, '\n');
          continue;
        }

      g_string_append_c (self->cell, text[pos]);
    }

  /* Excel keeps text that follows the closing quote as part of the cell. */
  for (pos++; !is_cell_end (self, pos); pos++)
    g_string_append_c (self->cell, text[pos]);

  self->pos = pos;
  return g_strndup (self->cell->str, self->cell->len);
}

/**
 * pdm_csv_reader_read_row:
 * @self: a #PdmCsvReader
 * @out_fields: (out) (transfer full) (element-type utf8): the cells of the row
 * @out_row_number: (out) (optional): Excel's number of the row, the header
 *   being 1; blank lines are skipped but keep their numbers, as in Excel
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE with a row; %FALSE at the end of the file (@error unset) or
 *   on an error
 */
gboolean
pdm_csv_reader_read_row (PdmCsvReader  *self,
                         GPtrArray    **out_fields,
                         guint         *out_row_number,
                         GError       **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  guint row;
  gsize skip;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_fields = NULL;

  while ((skip = line_end_length (self->text, self->len, self->pos)) > 0)
    {
      self->pos += skip;
      self->row++;
    }

  if (self->pos >= self->len)
    return FALSE;

  row = self->row;
  fields = g_ptr_array_new_with_free_func (g_free);
  for (;;)
    {
      char *cell = read_cell (self, row, error);

      if (cell == NULL)
        return FALSE;
      g_ptr_array_add (fields, cell);

      if (self->pos >= self->len || self->text[self->pos] != self->separator)
        break;
      self->pos++;
    }

  self->pos += line_end_length (self->text, self->len, self->pos);
  self->row++;

  if (out_row_number != NULL)
    *out_row_number = row;
  *out_fields = g_steal_pointer (&fields);
  return TRUE;
}

/**
 * pdm_csv_normalize_header:
 * @header: a header cell, UTF-8
 *
 * Reduces @header to its lower-case letters and digits, so "No. KK", "NO_KK"
 * and "nokk" all become "nokk".
 *
 * Returns: (transfer full): the normalized name
 */
char *
pdm_csv_normalize_header (const char *header)
{
  g_autofree char *composed = NULL;
  GString *out;

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (header, -1, NULL), NULL);

  if (g_str_has_prefix (header, UTF8_BOM_AS_CP1252))
    header += strlen (UTF8_BOM_AS_CP1252);

  /* Compatibility composition makes full-width and ligature letters plain. */
  composed = g_utf8_normalize (header, -1, G_NORMALIZE_ALL);
  out = g_string_new (NULL);
  for (const char *p = composed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, g_unichar_tolower (c));
    }

  return g_string_free (out, FALSE);
}

/**
 * pdm_csv_find_column:
 * @header_fields: (element-type utf8): the cells of the header row
 * @aliases: (array zero-terminated=1): names the column may go by
 *
 * Returns: the index of the first header cell that matches one of @aliases
 *   once both are normalized, or -1
 */
int
pdm_csv_find_column (GPtrArray          *header_fields,
                     const char * const *aliases)
{
  g_autoptr(GPtrArray) wanted = NULL;

  g_return_val_if_fail (header_fields != NULL, -1);
  g_return_val_if_fail (aliases != NULL, -1);

  wanted = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; aliases[i] != NULL; i++)
    g_ptr_array_add (wanted, pdm_csv_normalize_header (aliases[i]));

  for (guint i = 0; i < header_fields->len; i++)
    {
      g_autofree char *name = pdm_csv_normalize_header (g_ptr_array_index (header_fields, i));

      /* A header of only punctuation must not match an alias of the same. */
      if (*name == '\0')
        continue;

      for (guint j = 0; j < wanted->len; j++)
        {
          if (g_str_equal (name, g_ptr_array_index (wanted, j)))
            return (int) i;
        }
    }

  return -1;
}

void
pdm_csv_append_bom (GString *out)
{
  g_return_if_fail (out != NULL);

  g_string_append (out, UTF8_BOM);
}

static gboolean
needs_quotes (const char *field,
              char        separator)
{
  gsize len = strlen (field);

  if (len == 0)
    return FALSE;

  /* Excel drops unquoted leading and trailing spaces. */
  if (g_ascii_isspace (field[0]) || g_ascii_isspace (field[len - 1]))
    return TRUE;

  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == separator || *p == '"' || *p == '\r' || *p == '\n')
        return TRUE;
    }

  return FALSE;
}

/**
 * pdm_csv_append_row:
 * @out: where the row goes
 * @fields: (array length=n_fields) (nullable): the cells; a %NULL cell is empty
 * @n_fields: how many cells
 * @separator: `;` for Excel in Indonesian settings
 *
 * Appends one row, quoting only the cells that need it, ended by CRLF as
 * Excel writes and expects.
 */
void
pdm_csv_append_row (GString            *out,
                    const char * const *fields,
                    gsize               n_fields,
                    char                separator)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n_fields == 0);
  g_return_if_fail (separator != '\0' && separator != '"' &&
                    separator != '\r' && separator != '\n');

  for (gsize i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, separator);

      /* A lone empty cell would read back as a blank line, which is skipped. */
      if (needs_quotes (field, separator) || (n_fields == 1 && *field == '\0'))
        {
          g_string_append_c (out, '"');
          for (const char *p = field; *p != '\0'; p++)
            {
              if (*p == '"')
                g_string_append_c (out, '"');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        {
          g_string_append (out, field);
        }
    }

  g_string_append (out, "\r\n");
}
