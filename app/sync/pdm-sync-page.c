/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-page"

#include "config.h"

#include <string.h>

#include "pdm-merge.h"
#include "pdm-record.h"
#include "pdm-repository.h"
#include "pdm-sync-page.h"

/*
 * A pull page read straight from its JSON text into changes. A fresh
 * device's first pull is six pages of 100,000 writes; json-glib built a tree
 * of two million nodes and hash tables for each, and the changes copied
 * every string out of it again: reading a page cost as much processor time
 * as merging it. This reader walks the text once, decodes each string where
 * it stands (a decoded JSON string is never longer than its quoted form, so
 * it fits, with its terminating NUL where the closing quote was) and points
 * the changes at those strings and at the static table and field names.
 *
 * It takes any JSON the protocol allows: members in any order, any
 * whitespace, every escape, members it does not know (skipped whole). Text
 * that is not JSON, or not UTF-8, is refused whole, as json-glib refused it;
 * a malformed write is left out and counted, as the protocol says.
 */

/* Nesting deeper than this in a skipped value is refused rather than
 * followed (the reader recurses). */
#define MAX_DEPTH 64

/* Changes are allocated in blocks, so they do not move as the page grows. */
#define BLOCK_CHANGES 4096

typedef struct
{
  char        *p;
  char        *end;
  PdmSyncPage *page;
  PdmChange   *block;
  guint        block_used;
} Reader;

typedef enum
{
  SCALAR_STRING,
  SCALAR_NULL,
  SCALAR_INTEGER,
  SCALAR_OTHER,  /* true, false, a fraction, an array, an object */
} ScalarKind;

static void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

/* Skips whitespace, then consumes @c if it is next. */
static gboolean
accept (Reader *r,
        char    c)
{
  skip_space (r);
  if (r->p < r->end && *r->p == c)
    {
      r->p++;
      return TRUE;
    }

  return FALSE;
}

static gboolean
peek (Reader *r,
      char    c)
{
  skip_space (r);

  return r->p < r->end && *r->p == c;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Reader   *r,
           gunichar *out)
{
  gunichar value = 0;

  if (r->end - r->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (r->p[i]);

      if (digit < 0)
        return FALSE;
      value = value << 4 | (gunichar) digit;
    }
  r->p += 4;
  *out = value;

  return TRUE;
}

/* Reads the string at the reader (after whitespace), decoding it in place;
 * *@out points at it, NUL-terminated. */
static gboolean
read_string (Reader  *r,
             char   **out)
{
  char *start, *w;
  gboolean ascii = TRUE;

  if (!accept (r, '"'))
    return FALSE;

  /* Most strings have no escape: find the end and cut it there. */
  start = r->p;
  while (r->p < r->end && *r->p != '"' && *r->p != '\\')
    {
      if ((guchar) *r->p < 0x20)
        return FALSE;
      ascii &= (guchar) *r->p < 0x80;
      r->p++;
    }
  if (r->p == r->end)
    return FALSE;

  w = r->p;
  while (*r->p != '"')
    {
      char c = *r->p++;

      if ((guchar) c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          ascii &= (guchar) c < 0x80;
          *w++ = c;
        }
      else
        {
          gunichar u;

          if (r->p == r->end)
            return FALSE;
          switch (*r->p++)
            {
            case '"': *w++ = '"'; break;
            case '\\': *w++ = '\\'; break;
            case '/': *w++ = '/'; break;
            case 'b': *w++ = '\b'; break;
            case 'f': *w++ = '\f'; break;
            case 'n': *w++ = '\n'; break;
            case 'r': *w++ = '\r'; break;
            case 't': *w++ = '\t'; break;
            case 'u':
              if (!read_hex4 (r, &u))
                return FALSE;
              /* A pair of surrogates is one character; a lone one is none. */
              if (u >= 0xd800 && u < 0xdc00)
                {
                  gunichar low;

                  if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                    return FALSE;
                  r->p += 2;
                  if (!read_hex4 (r, &low) || low < 0xdc00 || low >= 0xe000)
                    return FALSE;
                  u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
                }
              else if (u >= 0xdc00 && u < 0xe000)
                return FALSE;
              /* At most 4 bytes for the 6 or 12 just read. */
              w += g_unichar_to_utf8 (u, w);
              ascii = FALSE;
              break;
            default:
              return FALSE;
            }
        }
      if (r->p == r->end)
        return FALSE;
    }
  *w = '\0';
  r->p++;

  if (!ascii && !g_utf8_validate (start, w - start, NULL))
    return FALSE;

  *out = start;

  return TRUE;
}

static gboolean
accept_word (Reader     *r,
             const char *word)
{
  gsize length = strlen (word);

  skip_space (r);
  if ((gsize) (r->end - r->p) < length || memcmp (r->p, word, length) != 0)
    return FALSE;
  r->p += length;

  return TRUE;
}

/* Reads a number; *@out_integer tells whether it is a whole number, and
 * *@out_text is then its shortest spelling ("-0" is "0"), kept by the
 * page. */
static gboolean
read_number (Reader    *r,
             gboolean  *out_integer,
             char     **out_text)
{
  char *start;
  gboolean integer = TRUE;

  skip_space (r);
  start = r->p;
  if (r->p < r->end && *r->p == '-')
    r->p++;
  if (r->p == r->end || !g_ascii_isdigit (*r->p))
    return FALSE;
  if (*r->p == '0')
    r->p++;
  else
    while (r->p < r->end && g_ascii_isdigit (*r->p))
      r->p++;
  if (r->p < r->end && *r->p == '.')
    {
      integer = FALSE;
      r->p++;
      if (r->p == r->end || !g_ascii_isdigit (*r->p))
        return FALSE;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      integer = FALSE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (r->p == r->end || !g_ascii_isdigit (*r->p))
        return FALSE;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }

  *out_integer = FALSE;
  *out_text = NULL;
  if (integer)
    {
      g_autofree char *literal = g_strndup (start, r->p - start);
      gint64 value;

      /* Out of range is no whole number a field can hold. */
      if (g_ascii_string_to_signed (literal, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          /* Not in place: the character after the number is still to read. */
          *out_text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
          g_ptr_array_add (r->page->blocks, *out_text);
          *out_integer = TRUE;
        }
    }

  return TRUE;
}

static gboolean skip_value (Reader *r,
                            guint   depth);

/* Calls @member for each member of the object at the reader, with the
 * reader at the member's value, which @member must consume. */
typedef gboolean (*MemberFunc) (Reader     *r,
                                const char *name,
                                gpointer    data);

static gboolean
read_object (Reader     *r,
             MemberFunc  member,
             gpointer    data)
{
  if (!accept (r, '{'))
    return FALSE;
  if (accept (r, '}'))
    return TRUE;

  do
    {
      char *name;

      if (!read_string (r, &name) || !accept (r, ':') || !member (r, name, data))
        return FALSE;
    }
  while (accept (r, ','));

  return accept (r, '}');
}

typedef gboolean (*ElementFunc) (Reader   *r,
                                 gpointer  data);

static gboolean
read_array (Reader      *r,
            ElementFunc  element,
            gpointer     data)
{
  if (!accept (r, '['))
    return FALSE;
  if (accept (r, ']'))
    return TRUE;

  do
    if (!element (r, data))
      return FALSE;
  while (accept (r, ','));

  return accept (r, ']');
}

static gboolean
skip_member_cb (Reader     *r,
                const char *name,
                gpointer    data)
{
  return skip_value (r, GPOINTER_TO_UINT (data));
}

static gboolean
skip_element_cb (Reader   *r,
                 gpointer  data)
{
  return skip_value (r, GPOINTER_TO_UINT (data));
}

static gboolean
skip_value (Reader *r,
            guint   depth)
{
  char *text;
  gboolean integer;

  if (depth > MAX_DEPTH)
    return FALSE;

  skip_space (r);
  if (r->p == r->end)
    return FALSE;

  switch (*r->p)
    {
    case '{':
      return read_object (r, skip_member_cb, GUINT_TO_POINTER (depth + 1));
    case '[':
      return read_array (r, skip_element_cb, GUINT_TO_POINTER (depth + 1));
    case '"':
      return read_string (r, &text);
    case 't':
      return accept_word (r, "true");
    case 'f':
      return accept_word (r, "false");
    case 'n':
      return accept_word (r, "null");
    default:
      return read_number (r, &integer, &text);
    }
}

/* A value the protocol carries as text: a string, null, or (tolerated) a
 * whole number, as its digits. */
static gboolean
read_scalar (Reader      *r,
             ScalarKind  *out_kind,
             char       **out_text)
{
  gboolean integer;

  *out_text = NULL;
  skip_space (r);
  if (r->p == r->end)
    return FALSE;

  switch (*r->p)
    {
    case '"':
      *out_kind = SCALAR_STRING;
      return read_string (r, out_text);
    case 'n':
      *out_kind = SCALAR_NULL;
      return accept_word (r, "null");
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      if (!read_number (r, &integer, out_text))
        return FALSE;
      *out_kind = integer ? SCALAR_INTEGER : SCALAR_OTHER;
      return TRUE;
    default:
      *out_kind = SCALAR_OTHER;
      return skip_value (r, 0);
    }
}

static gboolean
read_boolean (Reader   *r,
              gboolean *out_value)
{
  skip_space (r);
  *out_value = FALSE;
  if (accept_word (r, "true"))
    *out_value = TRUE;
  else if (!accept_word (r, "false"))
    return skip_value (r, 0);

  return TRUE;
}

/* ---- rows ------------------------------------------------------------- */

/* One field version as read, `[stamp, base, value]`, before the row's
 * table is known (a row's members may come in any order). */
typedef struct
{
  char     *field;
  char     *stamp;
  char     *base;
  char     *value;
  gboolean  valid;
} RawField;

typedef struct
{
  char   *table;
  char   *row;
  GArray *fields;  /* RawField */
  gboolean has_fields;
} RawRow;

static gboolean
read_version (Reader   *r,
              RawField *field)
{
  ScalarKind kinds[3];
  char *texts[3];
  guint n = 0;

  field->valid = FALSE;
  if (!peek (r, '['))
    return skip_value (r, 0);

  r->p++;
  if (!accept (r, ']'))
    {
      do
        {
          ScalarKind kind;
          char *text;

          if (!read_scalar (r, &kind, &text))
            return FALSE;
          if (n < 3)
            {
              kinds[n] = kind;
              texts[n] = text;
            }
          n++;
        }
      while (accept (r, ','));
      if (!accept (r, ']'))
        return FALSE;
    }

  if (n != 3 || kinds[0] != SCALAR_STRING ||
      kinds[1] == SCALAR_OTHER || kinds[2] == SCALAR_OTHER)
    return TRUE;

  field->stamp = texts[0];
  field->base = texts[1];
  field->value = texts[2];
  field->valid = pdm_version_check_stamps (field->stamp, field->base);

  return TRUE;
}

static gboolean
field_member_cb (Reader     *r,
                 const char *name,
                 gpointer    data)
{
  RawRow *row = data;
  RawField field = { (char *) name, NULL, NULL, NULL, FALSE };

  if (!read_version (r, &field))
    return FALSE;
  g_array_append_val (row->fields, field);

  return TRUE;
}

static gboolean
row_member_cb (Reader     *r,
               const char *name,
               gpointer    data)
{
  RawRow *row = data;
  ScalarKind kind;
  char *text;

  if (g_str_equal (name, "table") || g_str_equal (name, "row"))
    {
      if (!read_scalar (r, &kind, &text))
        return FALSE;
      *(name[0] == 't' ? &row->table : &row->row) = kind == SCALAR_STRING ? text : NULL;
      return TRUE;
    }

  if (g_str_equal (name, "fields"))
    {
      /* Only the last "fields" counts, as in a JSON object. */
      g_array_set_size (row->fields, 0);
      row->has_fields = peek (r, '{');
      if (!row->has_fields)
        return skip_value (r, 0);
      return read_object (r, field_member_cb, row);
    }

  return skip_value (r, 0);
}

static PdmChange *
new_change (Reader *r)
{
  if (r->block == NULL || r->block_used == BLOCK_CHANGES)
    {
      r->block = g_new (PdmChange, BLOCK_CHANGES);
      r->block_used = 0;
      g_ptr_array_add (r->page->blocks, r->block);
    }

  return &r->block[r->block_used++];
}

static gboolean
row_element_cb (Reader   *r,
                gpointer  data)
{
  RawRow *row = data;
  const PdmTableInfo *info;

  row->table = NULL;
  row->row = NULL;
  row->has_fields = FALSE;
  g_array_set_size (row->fields, 0);

  if (!peek (r, '{'))
    {
      r->page->n_bad++;
      return skip_value (r, 0);
    }
  if (!read_object (r, row_member_cb, row))
    return FALSE;

  info = row->table != NULL ? pdm_table_info_lookup (row->table) : NULL;
  if (info == NULL || row->row == NULL || !row->has_fields)
    {
      r->page->n_bad++;
      return TRUE;
    }

  for (guint i = 0; i < row->fields->len; i++)
    {
      const RawField *field = &g_array_index (row->fields, RawField, i);
      int index = pdm_table_info_find_field (info, field->field);
      PdmChange *change;

      if (index < 0 || !field->valid)
        {
          r->page->n_bad++;
          continue;
        }

      /* The names are the table's own static strings. */
      change = new_change (r);
      change->table = (char *) info->name;
      change->row_id = row->row;
      change->field = (char *) info->fields[index].name;
      change->stamp = field->stamp;
      change->base = field->base;
      change->value = field->value;
      g_ptr_array_add (r->page->changes, change);
    }

  return TRUE;
}

static gboolean
removed_member_cb (Reader     *r,
                   const char *name,
                   gpointer    data)
{
  char **pair = data;
  ScalarKind kind;
  char *text;

  if (!g_str_equal (name, "table") && !g_str_equal (name, "row"))
    return skip_value (r, 0);

  if (!read_scalar (r, &kind, &text))
    return FALSE;
  pair[name[0] == 't' ? 0 : 1] = kind == SCALAR_STRING ? text : NULL;

  return TRUE;
}

static gboolean
removed_element_cb (Reader   *r,
                    gpointer  data)
{
  char *pair[2] = { NULL, NULL };

  if (!peek (r, '{'))
    {
      if (!skip_value (r, 0))
        return FALSE;
    }
  else if (!read_object (r, removed_member_cb, pair))
    return FALSE;

  g_ptr_array_add (r->page->removed, pair[0]);
  g_ptr_array_add (r->page->removed, pair[1]);

  return TRUE;
}

static gboolean
page_member_cb (Reader     *r,
                const char *name,
                gpointer    data)
{
  PdmSyncPage *page = r->page;

  if (g_str_equal (name, "rows"))
    {
      g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (RawField));
      RawRow row = { NULL, NULL, fields, FALSE };

      page->has_rows = peek (r, '[');
      if (!page->has_rows)
        return skip_value (r, 0);
      return read_array (r, row_element_cb, &row);
    }

  if (g_str_equal (name, "removed"))
    {
      if (!peek (r, '['))
        return skip_value (r, 0);
      return read_array (r, removed_element_cb, NULL);
    }

  if (g_str_equal (name, "cursor"))
    {
      ScalarKind kind;
      char *text;

      if (!read_scalar (r, &kind, &text))
        return FALSE;
      page->has_cursor = kind == SCALAR_INTEGER;
      if (page->has_cursor)
        page->cursor = g_ascii_strtoll (text, NULL, 10);
      return TRUE;
    }

  if (g_str_equal (name, "more"))
    return read_boolean (r, &page->more);
  if (g_str_equal (name, "reset"))
    return read_boolean (r, &page->reset);

  return skip_value (r, 0);
}

/**
 * pdm_sync_page_parse:
 * @body: the answer's JSON text
 * @out_error_offset: (out) (optional): where the text stops being JSON
 *
 * Reads a pull answer. Missing or mistyped members leave the fields of
 * the page at their defaults (%FALSE, 0) for the caller to judge.
 *
 * Returns: (transfer full) (nullable): the page, or %NULL when @body is not
 *   one JSON object in UTF-8
 */
PdmSyncPage *
pdm_sync_page_parse (GBytes *body,
                     gsize  *out_error_offset)
{
  g_autoptr(PdmSyncPage) page = g_new0 (PdmSyncPage, 1);
  Reader r = { NULL };
  gconstpointer data;
  gboolean ok;
  gsize size;

  g_return_val_if_fail (body != NULL, NULL);

  /* A copy that the reader may decode in place. */
  data = g_bytes_get_data (body, &size);
  page->text = g_malloc (size + 1);
  memcpy (page->text, data, size);
  page->text[size] = '\0';
  page->changes = g_ptr_array_new ();
  page->removed = g_ptr_array_new ();
  page->blocks = g_ptr_array_new_with_free_func (g_free);

  r.p = page->text;
  r.end = page->text + size;
  r.page = page;

  ok = peek (&r, '{') && read_object (&r, page_member_cb, NULL);
  skip_space (&r);
  if (!ok || r.p != r.end)
    {
      if (out_error_offset != NULL)
        *out_error_offset = r.p - page->text;
      return NULL;
    }

  return g_steal_pointer (&page);
}

void
pdm_sync_page_free (PdmSyncPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_clear_pointer (&page->removed, g_ptr_array_unref);
  g_clear_pointer (&page->blocks, g_ptr_array_unref);
  g_free (page->text);
  g_free (page);
}
