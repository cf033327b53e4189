/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-report-pdf"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pdm-chart.h"
#include "pdm-error.h"
#include "pdm-report-pdf.h"
#include "pdm-report-util.h"
#include "pdm-util.h"

/* A4 portrait in points, with margins of 2 cm. */
#define PAGE_WIDTH     595.276
#define PAGE_HEIGHT    841.890
#define MARGIN         56.693
#define CONTENT_WIDTH  (PAGE_WIDTH - 2 * MARGIN)
#define CONTENT_TOP    MARGIN
#define CONTENT_BOTTOM (PAGE_HEIGHT - MARGIN)
#define FOOTER_TOP     (CONTENT_BOTTOM + 18)

#define FONT_TITLE     18.0
#define FONT_SUBTITLE  11.5
#define FONT_DETAIL    9.5
#define FONT_HEADING   13.0
#define FONT_BODY      10.0
#define FONT_TABLE     8.5
#define FONT_CAPTION   8.5
#define FONT_FOOTER    8.0

#define CELL_PAD_X     5.0
#define CELL_PAD_Y     3.0
#define PARAGRAPH_GAP  6.0
#define BLOCK_GAP      12.0
#define SECTION_GAP    18.0

#define CANCEL_CHECK_ROWS 32

/*
 * The document is laid out twice with the same code: first only to count
 * the pages, for "Page N of M" in every footer, then to draw. Everything
 * that moves down the page goes through ensure_space(), which starts a new
 * page when a block would not fit; blocks are never cut: a table breaks
 * only between rows and repeats its header, a heading stays with what
 * follows it.
 */
typedef struct
{
  PdmReportDoc    *doc;
  cairo_surface_t *surface;
  cairo_t         *cr;
  GCancellable    *cancellable;
  gboolean         draw;
  guint            page;     /* from 1 */
  guint            n_pages;  /* known when drawing */
  double           y;
  char            *created;  /* "Dibuat 28 November 2026" */
} Writer;

/* A table's layout: the width of each column. */
typedef struct
{
  PdmReportTable *table;
  const char     *heading;
  double         *widths;
} TableLayout;

static void
draw_footer (Writer *self)
{
  g_autofree char *page_text = NULL;
  g_autoptr(PangoLayout) left = NULL;
  g_autoptr(PangoLayout) right = NULL;
  double width;

  _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_GRID, 1);
  cairo_set_line_width (self->cr, 0.5);
  cairo_move_to (self->cr, MARGIN, FOOTER_TOP - 4);
  cairo_line_to (self->cr, PAGE_WIDTH - MARGIN, FOOTER_TOP - 4);
  cairo_stroke (self->cr);

  /* Translators: the footer of every page of a report */
  page_text = g_strdup_printf (_("Page %u of %u"), self->page, self->n_pages);
  left = _pdm_report_layout_new (self->cr, FONT_FOOTER, PANGO_WEIGHT_NORMAL, self->created);
  right = _pdm_report_layout_new (self->cr, FONT_FOOTER, PANGO_WEIGHT_NORMAL, page_text);
  _pdm_report_layout_size (right, &width, NULL);

  _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT_DIM, 1);
  _pdm_report_show_layout (self->cr, left, MARGIN, FOOTER_TOP);
  _pdm_report_show_layout (self->cr, right, PAGE_WIDTH - MARGIN - width, FOOTER_TOP);
}

static void
finish_page (Writer *self)
{
  if (!self->draw)
    return;

  draw_footer (self);
  cairo_show_page (self->cr);
}

static void
new_page (Writer *self)
{
  finish_page (self);
  self->page++;
  self->y = CONTENT_TOP;
}

static double
space_left (Writer *self)
{
  return CONTENT_BOTTOM - self->y;
}

/* Starts a new page unless @height fits below the current position. A
 * block taller than a page goes on a page of its own. */
static void
ensure_space (Writer *self,
              double  height)
{
  if (height > space_left (self) && self->y > CONTENT_TOP + 0.5)
    new_page (self);
}

static PangoLayout *
text_layout (Writer      *self,
             double       size,
             PangoWeight  weight,
             const char  *text,
             double       width)
{
  PangoLayout *layout = _pdm_report_layout_new (self->cr, size, weight, text);

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  return layout;
}

static PangoLayout *
paragraph_layout (Writer     *self,
                  const char *text)
{
  PangoLayout *layout = text_layout (self, FONT_BODY, PANGO_WEIGHT_NORMAL, text, CONTENT_WIDTH);

  pango_layout_set_spacing (layout, 1.5 * PANGO_SCALE);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  double height;

  _pdm_report_layout_size (layout, NULL, &height);
  return height;
}

/* Shows @layout at the current position in @color and moves below it. */
static void
flow_layout (Writer      *self,
             PangoLayout *layout,
             double       x,
             guint32      color)
{
  if (self->draw)
    {
      _pdm_report_set_color (self->cr, color, 1);
      _pdm_report_show_layout (self->cr, layout, x, self->y);
    }
  self->y += layout_height (layout);
}

static void
title_block (Writer *self)
{
  PdmReportDoc *doc = self->doc;
  const char *subtitle = pdm_report_doc_get_subtitle (doc);
  guint n_details = pdm_report_doc_get_n_details (doc);
  g_autoptr(PangoLayout) title = NULL;
  double label_width = 0;

  title = text_layout (self, FONT_TITLE, PANGO_WEIGHT_BOLD,
                       pdm_report_doc_get_title (doc), CONTENT_WIDTH);
  flow_layout (self, title, MARGIN, PDM_REPORT_COLOR_TEXT);

  if (subtitle != NULL)
    {
      g_autoptr(PangoLayout) layout = text_layout (self, FONT_SUBTITLE, PANGO_WEIGHT_NORMAL,
                                                   subtitle, CONTENT_WIDTH);

      self->y += 2;
      flow_layout (self, layout, MARGIN, PDM_REPORT_COLOR_TEXT_DIM);
    }

  self->y += BLOCK_GAP;

  /* The details in two columns, the labels as wide as the widest of them
   * but never more than a third of the page. */
  for (guint i = 0; i < n_details; i++)
    {
      g_autoptr(PangoLayout) label = _pdm_report_layout_new (self->cr, FONT_DETAIL,
                                                             PANGO_WEIGHT_BOLD,
                                                             pdm_report_doc_get_detail_label (doc, i));
      double width;

      _pdm_report_layout_size (label, &width, NULL);
      label_width = MAX (label_width, width);
    }
  label_width = MIN (label_width + 12, CONTENT_WIDTH / 3);

  for (guint i = 0; i < n_details; i++)
    {
      g_autoptr(PangoLayout) label = text_layout (self, FONT_DETAIL, PANGO_WEIGHT_BOLD,
                                                  pdm_report_doc_get_detail_label (doc, i),
                                                  label_width - 12);
      g_autoptr(PangoLayout) value = text_layout (self, FONT_DETAIL, PANGO_WEIGHT_NORMAL,
                                                  pdm_report_doc_get_detail_value (doc, i),
                                                  CONTENT_WIDTH - label_width);
      double height = MAX (layout_height (label), layout_height (value));

      ensure_space (self, height);
      if (self->draw)
        {
          _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT_DIM, 1);
          _pdm_report_show_layout (self->cr, label, MARGIN, self->y);
          _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT, 1);
          _pdm_report_show_layout (self->cr, value, MARGIN + label_width, self->y);
        }
      self->y += height + 3;
    }

  self->y += 4;
  if (self->draw)
    {
      _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_HEADING, 1);
      cairo_set_line_width (self->cr, 1.5);
      cairo_move_to (self->cr, MARGIN, self->y);
      cairo_line_to (self->cr, PAGE_WIDTH - MARGIN, self->y);
      cairo_stroke (self->cr);
    }
  self->y += SECTION_GAP;
}

/* --- tables ------------------------------------------------------------- */

static PangoLayout *
cell_layout (Writer         *self,
             PdmReportTable *table,
             guint           column,
             const char     *text,
             gboolean        bold,
             double          width)
{
  PangoLayout *layout = text_layout (self, FONT_TABLE,
                                     bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                                     text, width);

  switch (pdm_report_table_get_align (table, column))
    {
    case PDM_REPORT_ALIGN_CENTER:
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      break;
    case PDM_REPORT_ALIGN_END:
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      break;
    case PDM_REPORT_ALIGN_START:
    default:
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
      break;
    }

  /* Figures of one width line up in a column, where the font has them. */
  if (pdm_report_table_get_kind (table, column) != PDM_REPORT_KIND_TEXT)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }

  return layout;
}

/* The widths of @text unwrapped and of its longest word. */
static void
measure_text (Writer     *self,
              const char *text,
              gboolean    bold,
              double     *natural,
              double     *minimum)
{
  g_autoptr(PangoLayout) layout = _pdm_report_layout_new (self->cr, FONT_TABLE,
                                                          bold ? PANGO_WEIGHT_BOLD
                                                               : PANGO_WEIGHT_NORMAL,
                                                          text);
  double width;

  _pdm_report_layout_size (layout, natural, NULL);
  /* At a width of nothing every word goes on a line of its own. */
  pango_layout_set_width (layout, 0);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  _pdm_report_layout_size (layout, &width, NULL);
  *minimum = width;
}

/* Columns as wide as their content where the page allows; numbers never
 * wrap. Short of room, every column starts at its longest word and the
 * room left is shared out evenly, each column taking no more than its
 * content needs: short columns ("Kelurahan") stay on one line and the
 * long ones (names) wrap. Room to spare goes to the text columns. */
static double *
compute_column_widths (Writer         *self,
                       PdmReportTable *table)
{
  guint n_columns = pdm_report_table_get_n_columns (table);
  guint n_rows = pdm_report_table_get_n_rows (table);
  gboolean footer = pdm_report_table_has_footer (table);
  g_autofree double *natural = g_new0 (double, n_columns);
  double *widths = g_new0 (double, n_columns);
  double sum_minimum = 0, sum_text = 0, room;
  guint n_short;

  for (guint c = 0; c < n_columns; c++)
    {
      gboolean is_text = pdm_report_table_get_kind (table, c) == PDM_REPORT_KIND_TEXT;

      measure_text (self, pdm_report_table_get_header (table, c), TRUE,
                    &natural[c], &widths[c]);
      for (guint r = 0; r < n_rows + (footer ? 1 : 0); r++)
        {
          guint row = r < n_rows ? r : PDM_REPORT_FOOTER_ROW;
          g_autofree char *text = pdm_report_table_format_cell (table, row, c);
          double cell_natural, cell_minimum;

          measure_text (self, text, row == PDM_REPORT_FOOTER_ROW, &cell_natural, &cell_minimum);
          natural[c] = MAX (natural[c], cell_natural);
          widths[c] = MAX (widths[c], is_text ? cell_minimum : cell_natural);
        }
      natural[c] += 2 * CELL_PAD_X + 1;
      widths[c] += 2 * CELL_PAD_X + 1;
      sum_minimum += widths[c];
      if (is_text)
        sum_text += natural[c];
    }

  if (sum_minimum > CONTENT_WIDTH)
    {
      /* Too many columns for the page: they shrink alike and overflow. */
      for (guint c = 0; c < n_columns; c++)
        widths[c] *= CONTENT_WIDTH / sum_minimum;
      return widths;
    }

  room = CONTENT_WIDTH - sum_minimum;
  do
    {
      n_short = 0;
      for (guint c = 0; c < n_columns; c++)
        n_short += widths[c] < natural[c] - 0.01;
      for (guint c = 0, share = 0; c < n_columns && n_short > 0; c++)
        {
          double add = MIN (room / (n_short - share), natural[c] - widths[c]);

          if (widths[c] >= natural[c] - 0.01)
            continue;
          widths[c] += add;
          room -= add;
          share++;
        }
    }
  while (n_short > 0 && room > 0.01);

  for (guint c = 0; c < n_columns && room > 0.01; c++)
    {
      gboolean is_text = pdm_report_table_get_kind (table, c) == PDM_REPORT_KIND_TEXT;

      if (sum_text > 0)
        widths[c] += is_text ? room * natural[c] / sum_text : 0;
      else
        widths[c] += room / n_columns;
    }

  return widths;
}

static GPtrArray *
row_layouts (Writer      *self,
             TableLayout *tl,
             guint        row,
             gboolean     header,
             double      *out_height)
{
  guint n_columns = pdm_report_table_get_n_columns (tl->table);
  GPtrArray *layouts = g_ptr_array_new_with_free_func (g_object_unref);
  double height = 0;

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *text = header ? g_strdup (pdm_report_table_get_header (tl->table, c))
                                     : pdm_report_table_format_cell (tl->table, row, c);
      PangoLayout *layout = cell_layout (self, tl->table, c, text,
                                         header || row == PDM_REPORT_FOOTER_ROW,
                                         tl->widths[c] - 2 * CELL_PAD_X);

      height = MAX (height, layout_height (layout));
      g_ptr_array_add (layouts, layout);
    }

  *out_height = height + 2 * CELL_PAD_Y;
  return layouts;
}

static void
hline (Writer  *self,
       double   y,
       double   width,
       guint32  color)
{
  _pdm_report_set_color (self->cr, color, 1);
  cairo_set_line_width (self->cr, width);
  cairo_move_to (self->cr, MARGIN, y);
  cairo_line_to (self->cr, PAGE_WIDTH - MARGIN, y);
  cairo_stroke (self->cr);
}

static void
draw_row (Writer      *self,
          TableLayout *tl,
          GPtrArray   *layouts,
          double       height,
          guint32      background)
{
  double x = MARGIN;

  if (!self->draw)
    return;

  if (background != 0xffffff)
    {
      _pdm_report_set_color (self->cr, background, 1);
      cairo_rectangle (self->cr, MARGIN, self->y, CONTENT_WIDTH, height);
      cairo_fill (self->cr);
    }

  _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT, 1);
  for (guint c = 0; c < layouts->len; c++)
    {
      _pdm_report_show_layout (self->cr, g_ptr_array_index (layouts, c),
                               x + CELL_PAD_X, self->y + CELL_PAD_Y);
      x += tl->widths[c];
    }
}

static void
draw_header (Writer      *self,
             TableLayout *tl,
             GPtrArray   *header,
             double       height)
{
  draw_row (self, tl, header, height, PDM_REPORT_COLOR_HEADER_BG);
  if (self->draw)
    hline (self, self->y + height, 0.8, PDM_REPORT_COLOR_RULE);
  self->y += height;
}

/* On a page a table goes on to: "Heading (continued)" and the header again. */
static void
continue_table (Writer      *self,
                TableLayout *tl,
                GPtrArray   *header,
                double       header_height)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) caption = NULL;

  new_page (self);

  /* Translators: over the rest of a table that goes on from the page before */
  text = g_strdup_printf (_("%s (continued)"), tl->heading);
  caption = text_layout (self, FONT_CAPTION, PANGO_WEIGHT_NORMAL, text, CONTENT_WIDTH);
  flow_layout (self, caption, MARGIN, PDM_REPORT_COLOR_TEXT_DIM);
  self->y += 4;

  draw_header (self, tl, header, header_height);
}

static double
first_row_height (Writer      *self,
                  TableLayout *tl)
{
  guint n_rows = pdm_report_table_get_n_rows (tl->table);
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) first = NULL;
  double header_height, row_height = 0;

  header = row_layouts (self, tl, 0, TRUE, &header_height);
  if (n_rows > 0)
    first = row_layouts (self, tl, 0, FALSE, &row_height);
  else if (pdm_report_table_has_footer (tl->table))
    first = row_layouts (self, tl, PDM_REPORT_FOOTER_ROW, FALSE, &row_height);

  return header_height + row_height;
}

static gboolean
check_cancelled (Writer  *self,
                 GError **error)
{
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_CANCELLED, _("The export was cancelled"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
table_block (Writer      *self,
             TableLayout *tl,
             GError     **error)
{
  guint n_rows = pdm_report_table_get_n_rows (tl->table);
  gboolean footer = pdm_report_table_has_footer (tl->table);
  g_autoptr(GPtrArray) header = NULL;
  double header_height;

  header = row_layouts (self, tl, 0, TRUE, &header_height);
  ensure_space (self, first_row_height (self, tl));
  draw_header (self, tl, header, header_height);

  for (guint r = 0; r < n_rows + (footer ? 1 : 0); r++)
    {
      guint row = r < n_rows ? r : PDM_REPORT_FOOTER_ROW;
      g_autoptr(GPtrArray) layouts = NULL;
      double height;

      if (r % CANCEL_CHECK_ROWS == CANCEL_CHECK_ROWS - 1 && !check_cancelled (self, error))
        return FALSE;

      layouts = row_layouts (self, tl, row, FALSE, &height);
      if (height > space_left (self))
        continue_table (self, tl, header, header_height);

      if (row == PDM_REPORT_FOOTER_ROW)
        {
          if (self->draw)
            hline (self, self->y, 0.8, PDM_REPORT_COLOR_RULE);
          draw_row (self, tl, layouts, height, 0xffffff);
        }
      else
        {
          draw_row (self, tl, layouts, height, r % 2 == 1 ? PDM_REPORT_COLOR_ZEBRA : 0xffffff);
        }
      self->y += height;
    }

  if (self->draw)
    hline (self, self->y, 0.8, PDM_REPORT_COLOR_RULE);

  return TRUE;
}

/* --- sections ----------------------------------------------------------- */

static double
chart_height (const PdmReportChart *chart)
{
  return pdm_chart_get_height_for_width (chart, CONTENT_WIDTH);
}

/* What must fit on a page under a heading, so that it never stands alone at
 * the foot of one. */
static double
first_block_height (Writer           *self,
                    PdmReportSection *section,
                    TableLayout      *tl)
{
  PdmReportChart *chart = pdm_report_section_get_chart (section);

  if (pdm_report_section_get_n_paragraphs (section) > 0)
    {
      g_autoptr(PangoLayout) layout = paragraph_layout (self,
                                                        pdm_report_section_get_paragraph (section, 0));

      return layout_height (layout);
    }
  if (chart != NULL)
    return chart_height (chart);
  if (tl->table != NULL)
    return first_row_height (self, tl);

  return 0;
}

static gboolean
section_block (Writer           *self,
               PdmReportSection *section,
               GError          **error)
{
  const char *heading_text = pdm_report_section_get_heading (section);
  PdmReportChart *chart = pdm_report_section_get_chart (section);
  g_autoptr(PangoLayout) heading = NULL;
  g_autofree double *widths = NULL;
  TableLayout tl = { pdm_report_section_get_table (section), heading_text, NULL };

  if (tl.table != NULL && pdm_report_table_get_n_columns (tl.table) > 0)
    tl.widths = widths = compute_column_widths (self, tl.table);
  else
    tl.table = NULL;

  heading = text_layout (self, FONT_HEADING, PANGO_WEIGHT_BOLD, heading_text, CONTENT_WIDTH);
  ensure_space (self, layout_height (heading) + PARAGRAPH_GAP +
                      first_block_height (self, section, &tl));
  if (self->draw)
    {
      g_autofree char *link = NULL;

      /* A bookmark per section in the PDF reader's outline. */
      link = g_strdup_printf ("page=%u pos=[%d %d]", self->page, (int) MARGIN, (int) self->y);
      cairo_pdf_surface_add_outline (self->surface, CAIRO_PDF_OUTLINE_ROOT, heading_text, link,
                                     0);
    }
  flow_layout (self, heading, MARGIN, PDM_REPORT_COLOR_HEADING);
  self->y += PARAGRAPH_GAP;

  for (guint i = 0; i < pdm_report_section_get_n_paragraphs (section); i++)
    {
      g_autoptr(PangoLayout) layout = paragraph_layout (self,
                                                        pdm_report_section_get_paragraph (section, i));

      ensure_space (self, layout_height (layout));
      flow_layout (self, layout, MARGIN, PDM_REPORT_COLOR_TEXT);
      self->y += PARAGRAPH_GAP;
    }

  if (chart != NULL)
    {
      double height = chart_height (chart);

      self->y += BLOCK_GAP - PARAGRAPH_GAP;
      ensure_space (self, height);
      if (self->draw)
        {
          cairo_save (self->cr);
          cairo_translate (self->cr, MARGIN, self->y);
          pdm_chart_draw (self->cr, chart, CONTENT_WIDTH, height);
          cairo_restore (self->cr);
        }
      self->y += height + BLOCK_GAP;
    }

  if (tl.table != NULL && !table_block (self, &tl, error))
    return FALSE;

  self->y += SECTION_GAP;
  return TRUE;
}

static gboolean
run (Writer  *self,
     GError **error)
{
  self->page = 1;
  self->y = CONTENT_TOP;

  title_block (self);
  for (guint i = 0; i < pdm_report_doc_get_n_sections (self->doc); i++)
    {
      if (!check_cancelled (self, error))
        return FALSE;
      if (!section_block (self, pdm_report_doc_get_section (self->doc, i), error))
        return FALSE;
    }
  finish_page (self);

  return TRUE;
}

typedef struct
{
  FILE *file;
  int   saved_errno;
} Sink;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  Sink *sink = closure;

  if (fwrite (data, 1, length, sink->file) != length)
    {
      sink->saved_errno = errno;
      return CAIRO_STATUS_WRITE_ERROR;
    }

  return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata (Writer *self)
{
  GDateTime *created = pdm_report_doc_get_created (self->doc);
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%dT%H:%M:%S%:z");
  const char *subtitle = pdm_report_doc_get_subtitle (self->doc);

  cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_TITLE,
                                  pdm_report_doc_get_title (self->doc));
  if (subtitle != NULL)
    cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_SUBJECT, subtitle);
  cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_CREATOR, "Pendamping");
  cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
}

static gboolean
write_pdf (PdmReportDoc  *doc,
           FILE          *file,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  Sink sink = { file, 0 };
  g_autofree char *day = pdm_format_day (pdm_report_doc_get_created (doc));
  Writer self = { doc, NULL, NULL, cancellable, };
  cairo_status_t status;
  gboolean ok;

  /* Translators: in the footer of a report, %s is a date as in "28 November 2026" */
  self.created = g_strdup_printf (_("Created %s"), day);
  self.surface = cairo_pdf_surface_create_for_stream (write_cb, &sink, PAGE_WIDTH, PAGE_HEIGHT);
  self.cr = cairo_create (self.surface);
  set_metadata (&self);

  ok = run (&self, error);
  if (ok)
    {
      self.n_pages = self.page;
      self.draw = TRUE;
      ok = run (&self, error);
    }

  cairo_destroy (self.cr);
  cairo_surface_finish (self.surface);
  status = cairo_surface_status (self.surface);
  cairo_surface_destroy (self.surface);
  g_free (self.created);

  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      _pdm_report_set_save_error (error, path,
                                  status == CAIRO_STATUS_WRITE_ERROR && sink.saved_errno != 0
                                  ? g_strerror (sink.saved_errno)
                                  : cairo_status_to_string (status));
      return FALSE;
    }

  return ok;
}

/**
 * pdm_report_doc_write_pdf:
 * @doc: the report
 * @path: where to save it; a file there is replaced once the new one is
 *   complete
 * @cancellable: (nullable): stops the work between sections and rows
 * @error: a #GError, or %NULL
 *
 * Writes @doc as an A4 portrait PDF in the language of the interface,
 * ready to attach to an activity report: the title, the details, then each
 * section with its paragraphs, its chart at the full width of the text and
 * its table, and "Page N of M" and the date under every page.
 *
 * Returns: %TRUE when @path holds the report
 */
gboolean
pdm_report_doc_write_pdf (PdmReportDoc  *doc,
                          const char    *path,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *tmp_path = NULL;
  FILE *file;
  gboolean ok;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tmp_path = _pdm_report_tmp_new (path, error);
  if (tmp_path == NULL)
    return FALSE;

  file = g_fopen (tmp_path, "wb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      _pdm_report_set_save_error (error, path, g_strerror (saved_errno));
      return FALSE;
    }

  ok = write_pdf (doc, file, path, cancellable, error);
  if (fclose (file) != 0 && ok)
    {
      _pdm_report_set_save_error (error, path, g_strerror (errno));
      ok = FALSE;
    }

  if (!ok)
    {
      g_unlink (tmp_path);
      return FALSE;
    }

  return _pdm_report_tmp_commit (tmp_path, path, error);
}
