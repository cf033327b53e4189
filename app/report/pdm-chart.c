/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-chart"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "pdm-chart.h"
#include "pdm-report-util.h"

#define FONT_TICK    7.5
#define FONT_LABEL   7.5
#define FONT_LEGEND  8.0
#define FONT_VALUE   7.0
#define FONT_AXIS    8.0

#define GAP          4.0
#define SWATCH       8.0
/* Room over the highest bar for its value. */
#define VALUE_ROOM   11.0
/* Category labels wrap to this many lines at most; longer ones are rotated. */
#define MAX_WRAPPED_LINES 3
/* Below this width per category a label would be unreadable and is left out. */
#define MIN_LABEL_SLOT 9.0

/* Paired charts: "before" in grey, "after" in the first series colour. */
#define COLOR_PRE  0x77767b  /* Dark 1 */
#define COLOR_POST 0x3584e4  /* Blue 3 */

typedef struct
{
  cairo_t              *cr;
  const PdmReportChart *chart;
  guint                 n_series;
  guint                 n_categories;

  double                top;        /* the value at the top of the axis */
  double                step;       /* between ticks */
  guint                 tick_decimals;

  /* The plot area, where 0 is at y + h and top at y. */
  double                x, y, w, h;

  gboolean              rotate_labels;
  gboolean              show_labels;
  double                label_max_width;  /* of a rotated label */
} Chart;

typedef struct
{
  char    *text;
  guint32  color;
  gboolean line;     /* a line sample rather than a square or dot */
  gboolean dot;
} LegendItem;

static void
legend_item_clear (gpointer data)
{
  LegendItem *item = data;

  g_free (item->text);
}

static gboolean
is_paired (const Chart *self)
{
  return pdm_report_chart_get_kind (self->chart) == PDM_REPORT_CHART_PAIRED;
}

double
pdm_chart_get_height_for_width (const PdmReportChart *chart,
                                double                width)
{
  g_return_val_if_fail (chart != NULL, 0);

  if (pdm_report_chart_get_kind (chart) == PDM_REPORT_CHART_PAIRED)
    return CLAMP (width * 0.55, 180, 320);

  return CLAMP (width * 0.5, 160, 300);
}

/* 1, 2, 2.5 or 5 times a power of ten, the nearest at or above @raw. */
static double
nice_step (double raw)
{
  double magnitude;
  double fraction;

  if (raw <= 0)
    return 1;

  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;
  if (fraction <= 1)
    return magnitude;
  if (fraction <= 2)
    return 2 * magnitude;
  if (fraction <= 2.5)
    return 2.5 * magnitude;
  if (fraction <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

static double
data_max (const Chart *self)
{
  gboolean stacked = pdm_report_chart_get_stacked (self->chart) && !is_paired (self);
  double max = 0;

  for (guint c = 0; c < self->n_categories; c++)
    {
      double sum = 0;

      for (guint s = 0; s < self->n_series; s++)
        {
          double value = pdm_report_chart_get_value (self->chart, s, c);

          if (isnan (value))
            continue;
          if (stacked)
            sum += MAX (value, 0);
          else
            max = MAX (max, value);
        }
      max = MAX (max, sum);
    }

  return max;
}

/* A value axis of about five ticks that starts at zero and ends at the
 * chart's axis maximum or, without one, just above the data. */
static void
compute_axis (Chart *self)
{
  double axis_max = pdm_report_chart_get_axis_max (self->chart);

  if (axis_max > 0)
    {
      self->top = axis_max;
      self->step = nice_step (axis_max / 5);
    }
  else
    {
      double max = data_max (self);

      self->step = nice_step (max > 0 ? max / 5 : 0.2);
      /* A tick above the highest value leaves its bar room for its label. */
      self->top = MAX (ceil (max / self->step + 0.05) * self->step, self->step);
    }

  if (pdm_report_chart_get_value_kind (self->chart) == PDM_REPORT_KIND_INTEGER)
    self->step = MAX (round (self->step), 1);

  if (fabs (self->step - round (self->step)) < 1e-9)
    self->tick_decimals = 0;
  else if (fabs (self->step * 10 - round (self->step * 10)) < 1e-9)
    self->tick_decimals = 1;
  else
    self->tick_decimals = 2;
}

static char *
format_tick (const Chart *self,
             double       value)
{
  PdmReportKind kind = pdm_report_chart_get_value_kind (self->chart);

  return pdm_report_format_value (kind, self->tick_decimals, value);
}

static double
value_y (const Chart *self,
         double       value)
{
  double clamped = CLAMP (value, 0, self->top);

  return self->y + self->h - clamped / self->top * self->h;
}

/* The mean of the values of @series, NAN when it has none. */
static double
series_mean (const Chart *self,
             guint        series)
{
  double sum = 0;
  guint n = 0;

  for (guint c = 0; c < self->n_categories; c++)
    {
      double value = pdm_report_chart_get_value (self->chart, series, c);

      if (!isnan (value))
        {
          sum += value;
          n++;
        }
    }

  return n > 0 ? sum / n : NAN;
}

static gboolean
has_decrease (const Chart *self)
{
  for (guint c = 0; c < self->n_categories; c++)
    {
      if (pdm_report_chart_get_value (self->chart, 1, c) <
          pdm_report_chart_get_value (self->chart, 0, c))
        return TRUE;
    }

  return FALSE;
}

static GArray *
legend_items (const Chart *self)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (LegendItem));

  g_array_set_clear_func (items, legend_item_clear);

  if (is_paired (self))
    {
      for (guint s = 0; s < MIN (self->n_series, 2); s++)
        {
          const char *name = pdm_report_chart_get_series_name (self->chart, s);
          double mean = series_mean (self, s);
          LegendItem item = { NULL, s == 0 ? COLOR_PRE : COLOR_POST, FALSE, TRUE };

          if (!isnan (mean))
            {
              g_autofree char *number = pdm_report_chart_format_value (self->chart, mean);

              /* Translators: a series of a chart and its dashed average line,
               * as in "Pre-test (average 55.2)" */
              item.text = g_strdup_printf (_("%s (average %s)"), name, number);
            }
          else
            {
              item.text = g_strdup (name);
            }
          g_array_append_val (items, item);
        }

      if (self->n_series >= 2 && has_decrease (self))
        {
          LegendItem item = { NULL, PDM_REPORT_COLOR_DOWN, TRUE, FALSE };

          /* Translators: a chart legend entry, as in "Post-test lower than Pre-test" */
          item.text = g_strdup_printf (_("%s lower than %s"),
                                       pdm_report_chart_get_series_name (self->chart, 1),
                                       pdm_report_chart_get_series_name (self->chart, 0));
          g_array_append_val (items, item);
        }
    }
  else if (self->n_series > 1)
    {
      for (guint s = 0; s < self->n_series; s++)
        {
          LegendItem item = { NULL, _pdm_report_series_color (s), FALSE, FALSE };

          item.text = g_strdup (pdm_report_chart_get_series_name (self->chart, s));
          g_array_append_val (items, item);
        }
    }

  return items;
}

/* Lays the legend out in lines from the left and draws it at @y when @draw;
 * returns its height. */
static double
legend_run (Chart    *self,
            GArray   *items,
            double    x,
            double    y,
            double    width,
            gboolean  draw)
{
  double line_height = 0;
  double cx = x;
  double cy = y;

  if (items->len == 0)
    return 0;

  for (guint i = 0; i < items->len; i++)
    {
      LegendItem *item = &g_array_index (items, LegendItem, i);
      g_autoptr(PangoLayout) layout = _pdm_report_layout_new (self->cr, FONT_LEGEND,
                                                              PANGO_WEIGHT_NORMAL, item->text);
      double text_width, text_height, item_width;

      _pdm_report_layout_size (layout, &text_width, &text_height);
      item_width = SWATCH + GAP + text_width;
      line_height = MAX (line_height, text_height);

      if (cx > x && cx + item_width > x + width)
        {
          cx = x;
          cy += line_height + 2;
        }

      if (draw)
        {
          double mid = cy + text_height / 2;

          _pdm_report_set_color (self->cr, item->color, 1);
          if (item->line)
            {
              cairo_set_line_width (self->cr, 1.5);
              cairo_move_to (self->cr, cx, mid);
              cairo_line_to (self->cr, cx + SWATCH, mid);
              cairo_stroke (self->cr);
            }
          else if (item->dot)
            {
              /* A moved-to point left by the text would join the dot. */
              cairo_new_path (self->cr);
              cairo_arc (self->cr, cx + SWATCH / 2, mid, SWATCH / 2 - 1, 0, 2 * G_PI);
              cairo_fill (self->cr);
            }
          else
            {
              cairo_rectangle (self->cr, cx, mid - SWATCH / 2, SWATCH, SWATCH);
              cairo_fill (self->cr);
            }

          _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT, 1);
          _pdm_report_show_layout (self->cr, layout, cx + SWATCH + GAP, cy);
        }

      cx += item_width + 3 * GAP;
    }

  return cy + line_height - y;
}

static double
category_slot (const Chart *self)
{
  return self->n_categories > 0 ? self->w / self->n_categories : self->w;
}

static double
category_center (const Chart *self,
                 guint        slot_index)
{
  return self->x + (slot_index + 0.5) * category_slot (self);
}

/* The label of @category, shown under slot @slot. */
static PangoLayout *
category_layout (Chart *self,
                 guint  category,
                 guint  slot)
{
  const char *text = pdm_report_chart_get_category (self->chart, category);
  PangoLayout *layout = _pdm_report_layout_new (self->cr, FONT_LABEL, PANGO_WEIGHT_NORMAL, text);

  if (self->rotate_labels)
    {
      /* Also short enough not to run out of the chart on the left, where
       * the first labels end close to the edge. */
      double height;
      double room;

      _pdm_report_layout_size (layout, NULL, &height);
      room = category_center (self, slot) * G_SQRT2 - height;
      pango_layout_set_width (layout, (int) (MAX (MIN (self->label_max_width, room), height) *
                                             PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  else
    {
      pango_layout_set_width (layout, (int) ((category_slot (self) - 2) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
    }

  return layout;
}

/* Decides how the category labels go under the axis (wrapped in their slot
 * where every word fits and a label takes few lines, else rotated by 45°,
 * or not at all where the slots are too narrow for a line of text) and
 * returns the height they take. The slot width must be known. */
static double
measure_category_labels (Chart  *self,
                         double  max_height)
{
  double slot = category_slot (self);
  double height = 0;

  self->show_labels = slot >= MIN_LABEL_SLOT && self->n_categories > 0;
  if (!self->show_labels)
    return 0;

  /* A participant's name in a paired chart is always rotated: they are many. */
  self->rotate_labels = is_paired (self);
  for (guint c = 0; c < self->n_categories && !self->rotate_labels; c++)
    {
      g_autoptr(PangoLayout) layout = category_layout (self, c, c);
      double width;

      _pdm_report_layout_size (layout, &width, NULL);
      if (width > slot - 1 || pango_layout_get_line_count (layout) > MAX_WRAPPED_LINES)
        self->rotate_labels = TRUE;
    }

  if (self->rotate_labels)
    {
      /* A rotated label of length L takes L·sin 45° of height. */
      self->label_max_width = MAX (max_height / G_SQRT2 * 2, 20);
      for (guint c = 0; c < self->n_categories; c++)
        {
          g_autoptr(PangoLayout) layout = category_layout (self, c, c);
          double width, text_height;

          _pdm_report_layout_size (layout, &width, &text_height);
          height = MAX (height, (width + text_height) / G_SQRT2);
        }
      return MIN (height, max_height);
    }

  for (guint c = 0; c < self->n_categories; c++)
    {
      g_autoptr(PangoLayout) layout = category_layout (self, c, c);
      double text_height;

      _pdm_report_layout_size (layout, NULL, &text_height);
      height = MAX (height, text_height);
    }

  return height;
}

static void
draw_category_labels (Chart        *self,
                      const guint  *order)
{
  double top = self->y + self->h + GAP;

  if (!self->show_labels)
    return;

  _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT, 1);
  for (guint i = 0; i < self->n_categories; i++)
    {
      g_autoptr(PangoLayout) layout = category_layout (self, order != NULL ? order[i] : i, i);
      double cx = category_center (self, i);
      double width, height;

      _pdm_report_layout_size (layout, &width, &height);
      if (self->rotate_labels)
        {
          /* The label ends under its bar and runs down to the left. */
          cairo_save (self->cr);
          cairo_translate (self->cr, cx, top);
          cairo_rotate (self->cr, -G_PI / 4);
          _pdm_report_show_layout (self->cr, layout, -width, -height / 2);
          cairo_restore (self->cr);
        }
      else
        {
          double slot = category_slot (self);

          _pdm_report_show_layout (self->cr, layout, cx - (slot - 2) / 2, top);
        }
    }
}

static void
draw_grid (Chart *self)
{
  cairo_t *cr = self->cr;
  guint n_ticks = (guint) floor (self->top / self->step + 1e-9);

  cairo_set_line_width (cr, 0.5);
  for (guint i = 0; i <= n_ticks; i++)
    {
      double value = i * self->step;
      double y = round (value_y (self, value) * 2) / 2;
      g_autofree char *text = format_tick (self, value);
      g_autoptr(PangoLayout) layout = _pdm_report_layout_new (cr, FONT_TICK,
                                                              PANGO_WEIGHT_NORMAL, text);
      double width, height;

      _pdm_report_set_color (cr, i == 0 ? PDM_REPORT_COLOR_RULE : PDM_REPORT_COLOR_GRID, 1);
      cairo_move_to (cr, self->x, y);
      cairo_line_to (cr, self->x + self->w, y);
      cairo_stroke (cr);

      _pdm_report_layout_size (layout, &width, &height);
      _pdm_report_set_color (cr, PDM_REPORT_COLOR_TEXT_DIM, 1);
      _pdm_report_show_layout (cr, layout, self->x - GAP - width, y - height / 2);
    }
}

/* White text on a dark bar, dark text on a light one. */
static guint32
text_color_on (guint32 rgb)
{
  double luminance = 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) +
                     0.0722 * (rgb & 0xff);

  return luminance < 150 ? 0xffffff : PDM_REPORT_COLOR_TEXT;
}

static void
draw_value_label (Chart   *self,
                  double   value,
                  double   cx,
                  double   y,
                  double   room_width,
                  gboolean inside,
                  guint32  bar_color)
{
  g_autofree char *text = pdm_report_chart_format_value (self->chart, value);
  g_autoptr(PangoLayout) layout = _pdm_report_layout_new (self->cr, FONT_VALUE,
                                                          PANGO_WEIGHT_NORMAL, text);
  double width, height;

  _pdm_report_layout_size (layout, &width, &height);
  if (width > room_width)
    return;

  if (inside)
    {
      _pdm_report_set_color (self->cr, text_color_on (bar_color), 1);
      _pdm_report_show_layout (self->cr, layout, cx - width / 2, y + 1);
    }
  else
    {
      _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT, 1);
      _pdm_report_show_layout (self->cr, layout, cx - width / 2, y - height - 1);
    }
}

static void
draw_bars (Chart *self)
{
  cairo_t *cr = self->cr;
  double slot = category_slot (self);
  gboolean stacked = pdm_report_chart_get_stacked (self->chart);
  guint n_bars = stacked ? 1 : MAX (self->n_series, 1);
  double group = slot * (n_bars > 1 ? 0.8 : 0.6);
  double bar = MIN (group / n_bars, 56);

  group = bar * n_bars;

  for (guint c = 0; c < self->n_categories; c++)
    {
      double left = category_center (self, c) - group / 2;
      double base = 0;

      for (guint s = 0; s < self->n_series; s++)
        {
          double value = pdm_report_chart_get_value (self->chart, s, c);
          guint32 color = _pdm_report_series_color (s);
          double x = stacked ? left : left + s * bar;
          double y0, y1;

          if (isnan (value))
            continue;
          if (stacked)
            {
              y0 = value_y (self, base);
              base += MAX (value, 0);
              y1 = value_y (self, base);
            }
          else
            {
              y0 = value_y (self, 0);
              y1 = value_y (self, value);
            }

          _pdm_report_set_color (cr, color, 1);
          /* A hairline between neighbours keeps touching bars apart. */
          cairo_rectangle (cr, x + (n_bars > 1 ? 0.3 : 0), y1,
                           bar - (n_bars > 1 ? 0.6 : 0), y0 - y1);
          cairo_fill (cr);

          if (stacked)
            {
              if (y0 - y1 >= FONT_VALUE + 3)
                draw_value_label (self, value, x + bar / 2, y1, bar - 2, TRUE, color);
            }
          else
            {
              gboolean inside = value >= self->top;

              draw_value_label (self, value, x + bar / 2, y1,
                                n_bars > 1 ? bar + (slot - group) / n_bars : slot - 2,
                                inside, color);
            }
        }
    }
}

/* By the "pre" value, those without one last, then by "post". */
static int
compare_pairs (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const PdmReportChart *chart = user_data;
  guint ca = *(const guint *) a;
  guint cb = *(const guint *) b;

  for (guint s = 0; s < 2; s++)
    {
      double va = pdm_report_chart_get_value (chart, s, ca);
      double vb = pdm_report_chart_get_value (chart, s, cb);

      if (isnan (va) != isnan (vb))
        return isnan (va) ? 1 : -1;
      if (!isnan (va) && va != vb)
        return va < vb ? -1 : 1;
    }

  return ca < cb ? -1 : ca > cb;
}

static guint *
paired_order (const Chart *self)
{
  GArray *order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->n_categories);

  for (guint c = 0; c < self->n_categories; c++)
    g_array_append_val (order, c);
  g_array_sort_with_data (order, compare_pairs, (gpointer) self->chart);

  return (guint *) g_array_free (order, FALSE);
}

/* Each participant is a column: a grey dot before, a blue dot after, joined
 * by a line, green where the score rose and red where it fell. Sorted by
 * the score before, the grey dots draw a rising curve and the distance of
 * the blue dots above it shows the gain at every level; this reads at 135
 * participants on an A4 page, where paired bars would be hairlines. */
static void
draw_pairs (Chart       *self,
            const guint *order)
{
  cairo_t *cr = self->cr;
  double slot = category_slot (self);
  double radius = CLAMP (slot * 0.32, 1.4, 3.5);

  if (self->n_series < 2)
    return;

  cairo_set_line_width (cr, CLAMP (slot * 0.35, 0.6, 1.6));
  for (guint i = 0; i < self->n_categories; i++)
    {
      double pre = pdm_report_chart_get_value (self->chart, 0, order[i]);
      double post = pdm_report_chart_get_value (self->chart, 1, order[i]);
      double x = category_center (self, i);

      if (isnan (pre) || isnan (post) || pre == post)
        continue;
      if (post > pre)
        _pdm_report_set_color (cr, PDM_REPORT_COLOR_UP, 0.6);
      else
        _pdm_report_set_color (cr, PDM_REPORT_COLOR_DOWN, 0.8);
      cairo_move_to (cr, x, value_y (self, pre));
      cairo_line_to (cr, x, value_y (self, post));
      cairo_stroke (cr);
    }

  for (guint s = 0; s < 2; s++)
    {
      double mean = series_mean (self, s);

      _pdm_report_set_color (cr, s == 0 ? COLOR_PRE : COLOR_POST, 1);
      for (guint i = 0; i < self->n_categories; i++)
        {
          double value = pdm_report_chart_get_value (self->chart, s, order[i]);

          if (isnan (value))
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, category_center (self, i), value_y (self, value), radius, 0, 2 * G_PI);
        }
      cairo_fill (cr);

      if (!isnan (mean))
        {
          double dashes[] = { 4, 2 };

          cairo_set_line_width (cr, 1);
          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
          cairo_move_to (cr, self->x, value_y (self, mean));
          cairo_line_to (cr, self->x + self->w, value_y (self, mean));
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }
}

static void
draw_axis_label (Chart  *self,
                 double  x)
{
  const char *text = pdm_report_chart_get_axis_label (self->chart);
  g_autoptr(PangoLayout) layout = NULL;
  double width, height;

  if (text == NULL)
    return;

  layout = _pdm_report_layout_new (self->cr, FONT_AXIS, PANGO_WEIGHT_NORMAL, text);
  pango_layout_set_width (layout, (int) (self->h * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  _pdm_report_layout_size (layout, &width, &height);

  cairo_save (self->cr);
  cairo_translate (self->cr, x, self->y + self->h);
  cairo_rotate (self->cr, -G_PI / 2);
  _pdm_report_set_color (self->cr, PDM_REPORT_COLOR_TEXT_DIM, 1);
  _pdm_report_show_layout (self->cr, layout, 0, 0);
  cairo_restore (self->cr);
}

static PangoLayout *
category_axis_layout (Chart  *self,
                      double  width)
{
  const char *text = pdm_report_chart_get_category_label (self->chart);
  PangoLayout *layout;

  if (text == NULL)
    return NULL;

  layout = _pdm_report_layout_new (self->cr, FONT_AXIS, PANGO_WEIGHT_NORMAL, text);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  return layout;
}

static double
max_tick_width (Chart *self)
{
  guint n_ticks = (guint) floor (self->top / self->step + 1e-9);
  double max = 0;

  for (guint i = 0; i <= n_ticks; i++)
    {
      g_autofree char *text = format_tick (self, i * self->step);
      g_autoptr(PangoLayout) layout = _pdm_report_layout_new (self->cr, FONT_TICK,
                                                              PANGO_WEIGHT_NORMAL, text);
      double width;

      _pdm_report_layout_size (layout, &width, NULL);
      max = MAX (max, width);
    }

  return max;
}

/**
 * pdm_chart_draw:
 * @cr: where to draw, the chart's top left corner at the origin
 * @chart: what to draw
 * @width: the width of the chart
 * @height: the height of the chart, legend and labels included
 *
 * Draws @chart on a light background, which it leaves to @cr: a value axis
 * from zero with gridlines, the legend over the plot when there is more
 * than one series, values over the bars where they fit.
 */
void
pdm_chart_draw (cairo_t              *cr,
                const PdmReportChart *chart,
                double                width,
                double                height)
{
  Chart self = { cr, chart, };
  g_autoptr(GArray) items = NULL;
  g_autoptr(PangoLayout) category_axis = NULL;
  g_autofree guint *order = NULL;
  double legend_height, axis_label_width = 0, tick_width, labels_height;
  double category_axis_height = 0;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (chart != NULL);

  self.n_series = pdm_report_chart_get_n_series (chart);
  self.n_categories = pdm_report_chart_get_n_categories (chart);

  cairo_save (cr);

  compute_axis (&self);

  if (pdm_report_chart_get_axis_label (chart) != NULL)
    {
      g_autoptr(PangoLayout) layout = _pdm_report_layout_new (cr, FONT_AXIS,
                                                              PANGO_WEIGHT_NORMAL, "Ag");

      _pdm_report_layout_size (layout, NULL, &axis_label_width);
      axis_label_width += GAP;
    }
  tick_width = max_tick_width (&self);

  self.x = axis_label_width + tick_width + GAP;
  self.w = MAX (width - self.x - GAP, 1);

  items = legend_items (&self);
  legend_height = legend_run (&self, items, self.x, 0, self.w, FALSE);
  if (legend_height > 0)
    legend_height += 2 * GAP;

  category_axis = category_axis_layout (&self, self.w);
  if (category_axis != NULL)
    {
      _pdm_report_layout_size (category_axis, NULL, &category_axis_height);
      category_axis_height += GAP;
    }

  labels_height = measure_category_labels (&self, height * 0.3);
  if (labels_height > 0)
    labels_height += GAP;

  self.y = legend_height + VALUE_ROOM;
  self.h = MAX (height - self.y - labels_height - category_axis_height - GAP, 1);

  if (is_paired (&self))
    order = paired_order (&self);

  legend_run (&self, items, self.x, 0, self.w, TRUE);
  draw_grid (&self);
  if (is_paired (&self))
    draw_pairs (&self, order);
  else
    draw_bars (&self);
  draw_category_labels (&self, order);

  draw_axis_label (&self, 0);
  if (category_axis != NULL)
    {
      _pdm_report_set_color (cr, PDM_REPORT_COLOR_TEXT_DIM, 1);
      _pdm_report_show_layout (cr, category_axis, self.x,
                               self.y + self.h + GAP + labels_height);
    }

  cairo_restore (cr);
}
