/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-chart-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "pdm-chart-view.h"
#include "pdm-chart.h"

/* A chart of a report on screen, drawn by the same code as in the PDF. That
 * code draws in the fixed colours of print, dark text and light gridlines
 * on white, so the widget keeps a sheet of white paper behind the chart in
 * the dark style too, where text in the style's colour would be light. */

/* Room between the edge of the paper and the chart, in pixels. */
#define PADDING 12
/* The corners of a libadwaita card, whose shadow the paper takes. */
#define PAPER_RADIUS 12
#define MIN_WIDTH 240
#define NATURAL_WIDTH 600

/* The chart's legend is set in 8 points (pdm-chart.c); it is scaled to the
 * size of libadwaita's captions, 82% of the interface text, so the chart
 * grows with the font and with "Large Text". */
#define CHART_LEGEND_SIZE 8.0
#define CAPTION_RATIO 0.82

struct _PdmChartView
{
  GtkWidget             parent_instance;

  /* The chart belongs to the document; the reference keeps it alive. */
  PdmReportDoc         *doc;
  const PdmReportChart *chart;
  char                 *label;
  char                 *description;
};

G_DEFINE_FINAL_TYPE (PdmChartView, pdm_chart_view, GTK_TYPE_WIDGET)

/* Pixels per point of the chart. */
static double
get_scale (PdmChartView *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  double size = 0;

  if (font != NULL)
    size = (double) pango_font_description_get_size (font) / PANGO_SCALE;
  if (size <= 0)
    return 1.5;

  if (!pango_font_description_get_size_is_absolute (font))
    {
      double dpi = pango_cairo_context_get_resolution (context);

      size *= (dpi > 0 ? dpi : 96.0) / 72.0;
    }

  return CLAMP (size * CAPTION_RATIO / CHART_LEGEND_SIZE, 1.0, 4.0);
}

static GtkSizeRequestMode
pdm_chart_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
pdm_chart_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  PdmChartView *self = PDM_CHART_VIEW (widget);
  double scale, width;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NATURAL_WIDTH;
      return;
    }

  scale = get_scale (self);
  width = (for_size >= 0 ? MAX (for_size, MIN_WIDTH) : NATURAL_WIDTH) - 2 * PADDING;
  *minimum = *natural = (int) ceil (pdm_chart_get_height_for_width (self->chart, width / scale) *
                                    scale) + 2 * PADDING;
}

static void
pdm_chart_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PdmChartView *self = PDM_CHART_VIEW (widget);
  static const GdkRGBA paper_color = { 1, 1, 1, 1 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double scale = get_scale (self);
  GskRoundedRect paper;
  cairo_t *cr;

  if (width <= 2 * PADDING || height <= 2 * PADDING)
    return;

  gsk_rounded_rect_init_from_rect (&paper, &GRAPHENE_RECT_INIT (0, 0, width, height),
                                   PAPER_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &paper);
  gtk_snapshot_append_color (snapshot, &paper_color, &paper.bounds);
  gtk_snapshot_pop (snapshot);

  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (PADDING, PADDING,
                                                       width - 2 * PADDING, height - 2 * PADDING));
  cairo_translate (cr, PADDING, PADDING);
  cairo_scale (cr, scale, scale);
  pdm_chart_draw (cr, self->chart, (width - 2 * PADDING) / scale,
                  (height - 2 * PADDING) / scale);
  cairo_destroy (cr);
}

static void
pdm_chart_view_system_setting_changed (GtkWidget        *widget,
                                       GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (pdm_chart_view_parent_class)->system_setting_changed (widget, setting);

  if (setting == GTK_SYSTEM_SETTING_DPI || setting == GTK_SYSTEM_SETTING_FONT_NAME ||
      setting == GTK_SYSTEM_SETTING_FONT_CONFIG)
    gtk_widget_queue_resize (widget);
}

/* "Penguasaan materi: 3,50; Sistematika penyajian: 3,25", each series
 * named where there are several. */
static char *
describe_bars (const PdmReportChart *chart)
{
  guint n_series = pdm_report_chart_get_n_series (chart);
  guint n_categories = pdm_report_chart_get_n_categories (chart);
  GString *text = g_string_new (NULL);

  for (guint c = 0; c < n_categories; c++)
    {
      if (c > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s:", pdm_report_chart_get_category (chart, c));

      for (guint s = 0; s < n_series; s++)
        {
          double value = pdm_report_chart_get_value (chart, s, c);
          g_autofree char *number = pdm_report_chart_format_value (chart, value);

          if (s > 0)
            g_string_append_c (text, ',');
          if (n_series > 1)
            g_string_append_printf (text, " %s", pdm_report_chart_get_series_name (chart, s));
          g_string_append_printf (text, " %s", number);
        }
    }

  return g_string_free (text, FALSE);
}

/* The averages before and after, and how many rose and fell: what the
 * dots and lines show. */
static char *
describe_pairs (const PdmReportChart *chart)
{
  guint n_categories = pdm_report_chart_get_n_categories (chart);
  double sums[2] = { 0, 0 };
  guint counts[2] = { 0, 0 };
  guint n_pairs = 0, n_up = 0, n_down = 0;
  GString *text = g_string_new (NULL);

  if (pdm_report_chart_get_n_series (chart) < 2)
    return describe_bars (chart);

  for (guint c = 0; c < n_categories; c++)
    {
      double pre = pdm_report_chart_get_value (chart, 0, c);
      double post = pdm_report_chart_get_value (chart, 1, c);

      for (guint s = 0; s < 2; s++)
        {
          double value = s == 0 ? pre : post;

          if (!isnan (value))
            {
              sums[s] += value;
              counts[s]++;
            }
        }
      if (isnan (pre) || isnan (post))
        continue;
      n_pairs++;
      n_up += post > pre;
      n_down += post < pre;
    }

  for (guint s = 0; s < 2; s++)
    {
      const char *name = pdm_report_chart_get_series_name (chart, s);
      g_autofree char *mean = NULL;

      if (counts[s] == 0)
        continue;
      mean = pdm_report_chart_format_value (chart, sums[s] / counts[s]);
      if (text->len > 0)
        g_string_append (text, ", ");
      /* Translators: a series of a chart and its dashed average line,
       * as in "Pre-test (average 55.2)" */
      g_string_append_printf (text, _("%s (average %s)"), name, mean);
    }
  if (text->len > 0)
    g_string_append (text, ". ");

  g_string_append_printf (text,
                          /* Translators: the first %u counts participants, the second
                           * and the last count some of them, %s names the second test */
                          ngettext ("Of %u participant with both scores, %u scored higher "
                                    "in %s and %u lower.",
                                    "Of %u participants with both scores, %u scored higher "
                                    "in %s and %u lower.",
                                    n_pairs),
                          n_pairs, n_up, pdm_report_chart_get_series_name (chart, 1), n_down);

  return g_string_free (text, FALSE);
}

static char *
make_label (const PdmReportChart *chart)
{
  const char *axis_label = pdm_report_chart_get_axis_label (chart);
  const char *kind;

  if (pdm_report_chart_get_kind (chart) == PDM_REPORT_CHART_PAIRED)
    kind = _("Chart of the scores before and after");
  else
    kind = _("Bar chart");

  return axis_label != NULL ? g_strdup_printf ("%s: %s", kind, axis_label) : g_strdup (kind);
}

/**
 * pdm_chart_view_new:
 * @doc: the report that holds @chart, which must not change any more
 * @chart: what to draw
 *
 * Returns: (transfer floating): a widget that draws @chart at its width
 */
GtkWidget *
pdm_chart_view_new (PdmReportDoc         *doc,
                    const PdmReportChart *chart)
{
  PdmChartView *self;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (chart != NULL, NULL);

  self = g_object_new (PDM_TYPE_CHART_VIEW, NULL);
  self->doc = pdm_report_doc_ref (doc);
  self->chart = chart;

  self->label = make_label (chart);
  if (pdm_report_chart_get_kind (chart) == PDM_REPORT_CHART_PAIRED)
    self->description = describe_pairs (chart);
  else
    self->description = describe_bars (chart);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);

  return GTK_WIDGET (self);
}

const PdmReportChart *
pdm_chart_view_get_chart (PdmChartView *self)
{
  g_return_val_if_fail (PDM_IS_CHART_VIEW (self), NULL);

  return self->chart;
}

/* What a screen reader calls the chart: its kind and what its values are. */
const char *
pdm_chart_view_get_label (PdmChartView *self)
{
  g_return_val_if_fail (PDM_IS_CHART_VIEW (self), NULL);

  return self->label;
}

/* What a screen reader reads for the chart: its figures in words. */
const char *
pdm_chart_view_get_description (PdmChartView *self)
{
  g_return_val_if_fail (PDM_IS_CHART_VIEW (self), NULL);

  return self->description;
}

static void
pdm_chart_view_finalize (GObject *object)
{
  PdmChartView *self = PDM_CHART_VIEW (object);

  g_clear_pointer (&self->doc, pdm_report_doc_unref);
  g_free (self->label);
  g_free (self->description);

  G_OBJECT_CLASS (pdm_chart_view_parent_class)->finalize (object);
}

static void
pdm_chart_view_class_init (PdmChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pdm_chart_view_finalize;

  widget_class->get_request_mode = pdm_chart_view_get_request_mode;
  widget_class->measure = pdm_chart_view_measure;
  widget_class->snapshot = pdm_chart_view_snapshot;
  widget_class->system_setting_changed = pdm_chart_view_system_setting_changed;

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pdm_chart_view_init (PdmChartView *self)
{
  /* The card's rounded shadow, around the paper. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
}
