/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-report-ui"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pdm-chart-view.h"
#include "pdm-report-window.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"

#define WAIT_MS PDM_TEST_WAIT_MS
#define TITLE "Evaluasi Pelatihan Dasar PSM"
#define TABLE_HEADING "Rumah tangga per RW"
#define N_ROWS 30
#define N_PARTICIPANTS 20

/* The colours the charts draw their data in (pdm-report-util.c, pdm-chart.c). */
#define BLUE_3 0x3584e4
#define DARK_1 0x77767b

/* --- the report ------------------------------------------------------------ */

/* Two sections: the households of @n_rows RW in a table and a bar chart,
 * the first RW with figures whose Indonesian forms a test looks for; then
 * the scores of 20 participants before and after a training in a paired
 * chart, under two paragraphs. */
static PdmReportDoc *
make_doc (guint n_rows)
{
  PdmReportDoc *doc = pdm_report_doc_new (TITLE);
  PdmReportSection *section;
  PdmReportTable *table;
  PdmReportChart *chart;
  double total_households = 0, total_members = 0;
  guint row;

  pdm_report_doc_set_subtitle (doc, "Angkatan I Tahun 2026");
  pdm_report_doc_add_detail (doc, "Tempat", "Aula Dinas Sosial Kota Bukittinggi");
  pdm_report_doc_add_detail (doc, "Tanggal", "24–26 November 2026");
  pdm_report_doc_add_detail (doc, "Penyelenggara", "Dinas Sosial Kota Bukittinggi");

  section = pdm_report_doc_add_section (doc, TABLE_HEADING);
  pdm_report_section_add_paragraph (section, "Rumah tangga DTSEN desil 1 sampai 5 di setiap RW.");
  chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_BAR);
  pdm_report_chart_set_value_format (chart, PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_chart_set_axis (chart, 0, "Rumah tangga");
  pdm_report_chart_add_series (chart, "Rumah tangga");
  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, "RW", PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, "Rumah tangga", PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, "Anggota", PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, "Desil 1", PDM_REPORT_KIND_PERCENT, 1);
  pdm_report_table_add_column (table, "Rata-rata anggota", PDM_REPORT_KIND_DECIMAL, 2);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *name = g_strdup_printf ("RW %02u", i + 1);
      double households = i == 0 ? 1234 : 800 + (i * 53) % 500;
      double members = i == 0 ? 4566 : households * 3 + i;
      double share = i == 0 ? 12.5 : (i * 7) % 40 + 0.5;

      row = pdm_report_table_add_row (table);
      pdm_report_table_set_text (table, row, 0, name);
      pdm_report_table_set_value (table, row, 1, households);
      pdm_report_table_set_value (table, row, 2, members);
      pdm_report_table_set_value (table, row, 3, share);
      pdm_report_table_set_value (table, row, 4, i == 0 ? 3.25 : members / households);
      pdm_report_chart_set_value (chart, 0, pdm_report_chart_add_category (chart, name),
                                  households);
      total_households += households;
      total_members += members;
    }
  pdm_report_table_set_text (table, PDM_REPORT_FOOTER_ROW, 0, "Jumlah");
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 1, total_households);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 2, total_members);

  section = pdm_report_doc_add_section (doc, "Nilai pre-test dan post-test");
  pdm_report_section_add_paragraph (section, "Setiap peserta mengerjakan 20 soal sebelum dan "
                                             "sesudah pelatihan.");
  pdm_report_section_add_paragraph (section, "Titik abu-abu adalah nilai pre-test, titik biru "
                                             "nilai post-test.");
  chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_PAIRED);
  pdm_report_chart_set_axis (chart, 100, "Nilai");
  pdm_report_chart_set_category_label (chart, "Peserta, urut nilai pre-test");
  pdm_report_chart_add_series (chart, "Pre-test");
  pdm_report_chart_add_series (chart, "Post-test");
  for (guint i = 0; i < N_PARTICIPANTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Peserta %u", i + 1);
      guint category = pdm_report_chart_add_category (chart, name);
      double pre = 30 + (i * 17) % 50;

      pdm_report_chart_set_value (chart, 0, category, pre);
      /* Two scored lower after the training. */
      pdm_report_chart_set_value (chart, 1, category, i % 10 == 3 ? pre - 10 : pre + 15 + i % 7);
    }

  return doc;
}

/* --- looking at the window --------------------------------------------------- */

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

/* The widgets of @type inside @widget, in the order of the tree. */
static GPtrArray *
find_widgets (gpointer widget,
              GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (widget, type, found);

  return found;
}

/* The label inside @widget that reads @text, or NULL. */
static GtkLabel *
find_label (gpointer    widget,
            const char *text)
{
  g_autoptr(GPtrArray) labels = find_widgets (widget, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return labels->pdata[i];

  return NULL;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} LabelWait;

static gboolean
label_shows (gpointer data)
{
  LabelWait *wait = data;

  return find_label (wait->widget, wait->text) != NULL;
}

/* Waits for a label reading @text inside @widget, as a toast. */
static void
wait_for_label (gpointer    widget,
                const char *text)
{
  LabelWait wait = { widget, text };

  if (!pdm_test_wait_for (NULL, label_shows, &wait, WAIT_MS))
    g_error ("No label reads “%s”", text);
}

static gboolean
is_colour (guint32 pixel,
           guint32 rgb,
           int     tolerance)
{
  return ABS ((int) ((pixel >> 16) & 0xff) - (int) ((rgb >> 16) & 0xff)) <= tolerance &&
         ABS ((int) ((pixel >> 8) & 0xff) - (int) ((rgb >> 8) & 0xff)) <= tolerance &&
         ABS ((int) (pixel & 0xff) - (int) (rgb & 0xff)) <= tolerance;
}

/* The pixels of @texture, 0xAARRGGBB, opaque where a window draws. */
static guint32 *
download (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  guint32 *pixels = g_new (guint32, width * gdk_texture_get_height (texture));

  gdk_texture_download (texture, (guchar *) pixels, width * 4);

  return pixels;
}

/* How many pixels of @texture within @area have the colour @rgb. */
static guint
count_colour (GdkTexture            *texture,
              const graphene_rect_t *area,
              guint32                rgb,
              int                    tolerance)
{
  g_autofree guint32 *pixels = download (texture);
  int width = gdk_texture_get_width (texture);
  int x0 = MAX ((int) area->origin.x, 0);
  int y0 = MAX ((int) area->origin.y, 0);
  int x1 = MIN ((int) (area->origin.x + area->size.width), width);
  int y1 = MIN ((int) (area->origin.y + area->size.height), gdk_texture_get_height (texture));
  guint n = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      n += is_colour (pixels[y * width + x], rgb, tolerance);

  return n;
}

/* The pixel of @texture at @x, @y, 0xRRGGBB. */
static guint32
pixel_at (GdkTexture *texture,
          int         x,
          int         y)
{
  g_autofree guint32 *pixels = download (texture);

  g_assert_cmpint (x, <, gdk_texture_get_width (texture));
  g_assert_cmpint (y, <, gdk_texture_get_height (texture));

  return pixels[y * gdk_texture_get_width (texture) + x] & 0xffffff;
}

static guint
luminance (guint32 rgb)
{
  return (((rgb >> 16) & 0xff) * 2126 + ((rgb >> 8) & 0xff) * 7152 + (rgb & 0xff) * 722) / 10000;
}

static void
scroll_to (PdmReportWindow *window,
           double           y)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (pdm_test_ui_get_child (window,
                                                                            "scrolled_window"));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled), y);
}

/* Scrolls the report to @chart and renders the window; @bounds gets where
 * the chart shows in it. */
static GdkTexture *
render_chart (PdmReportWindow *window,
              GtkWidget       *chart,
              graphene_rect_t *bounds)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (pdm_test_ui_get_child (window,
                                                                            "scrolled_window"));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  graphene_rect_t in_view;
  GdkTexture *texture;

  g_assert_true (gtk_widget_compute_bounds (chart, gtk_scrolled_window_get_child (scrolled),
                                            &in_view));
  scroll_to (window, gtk_adjustment_get_value (adjustment) + in_view.origin.y - 12);
  texture = pdm_test_ui_render (GTK_WIDGET (window));
  g_assert_true (gtk_widget_compute_bounds (chart, GTK_WIDGET (window), bounds));
  /* All of it is in sight. */
  g_assert_cmpfloat (bounds->origin.y, >, 0);
  g_assert_cmpfloat (bounds->origin.y + bounds->size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (window)));

  return texture;
}

static PdmReportWindow *
open_window (PdmApplication *application,
             guint           n_rows,
             int             width,
             int             height)
{
  g_autoptr(PdmReportDoc) doc = make_doc (n_rows);
  PdmReportWindow *window = pdm_report_window_new (application, doc);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  pdm_test_ui_set_window_size (GTK_WINDOW (window), width, height);

  return window;
}

static void
close_all (PdmApplication *application)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (application))) != NULL)
    gtk_window_destroy (windows->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* --- the charts and the table ------------------------------------------------ */

static void
test_charts (void)
{
  g_autoptr(PdmApplication) application = pdm_test_ui_new_application ();
  PdmReportWindow *window = open_window (application, N_ROWS, 1366, 768);
  g_autoptr(GPtrArray) charts = find_widgets (window, PDM_TYPE_CHART_VIEW);
  g_autoptr(GdkTexture) bars = NULL;
  g_autoptr(GdkTexture) pairs = NULL;
  g_autofree char *pre_mean = NULL;
  graphene_rect_t bounds;
  double pre_sum = 0;

  g_assert_cmpuint (charts->len, ==, 2);
  g_assert_true (pdm_chart_view_get_chart (charts->pdata[0]) ==
                 pdm_report_section_get_chart (
                   pdm_report_doc_get_section (pdm_report_window_get_doc (window), 0)));

  /* Each chart takes the height its width asks for, and draws its data:
   * thirty blue bars, twenty grey and twenty blue dots. */
  for (guint i = 0; i < charts->len; i++)
    {
      GtkWidget *chart = charts->pdata[i];
      int height;

      gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (chart),
                          &height, NULL, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_width (chart), >, 600);
      g_assert_cmpint (gtk_widget_get_height (chart), >, 200);
      g_assert_cmpint (gtk_widget_get_height (chart), ==, height);
    }
  bars = render_chart (window, charts->pdata[0], &bounds);
  g_assert_cmpuint (count_colour (bars, &bounds, BLUE_3, 24), >, 30 * 200);
  /* Its labels, in the dark text of the paper. */
  g_assert_cmpuint (count_colour (bars, &bounds, 0x241f31, 60), >, 500);

  pairs = render_chart (window, charts->pdata[1], &bounds);
  g_assert_cmpuint (count_colour (pairs, &bounds, DARK_1, 16), >, 20 * 20);
  g_assert_cmpuint (count_colour (pairs, &bounds, BLUE_3, 24), >, 20 * 20);

  /* A screen reader reads the figures. */
  g_assert_nonnull (strstr (pdm_chart_view_get_description (charts->pdata[0]), "RW 01: 1.234"));
  for (guint i = 0; i < N_PARTICIPANTS; i++)
    pre_sum += 30 + (i * 17) % 50;
  pre_mean = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 1, pre_sum / N_PARTICIPANTS);
  g_assert_nonnull (strstr (pdm_chart_view_get_description (charts->pdata[1]), pre_mean));
  g_assert_nonnull (strstr (pdm_chart_view_get_label (charts->pdata[1]), "Nilai"));

  /* Where the paired chart shows, then the top of the report. */
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "report-window-paired.png");
  scroll_to (window, 0);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "report-window.png");
  pdm_test_ui_set_window_size (GTK_WINDOW (window), 1024, 600);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "report-window-1024.png");
  scroll_to (window, 700);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "report-window-1024-table.png");

  close_all (application);
}

/* In the dark style the chart keeps its white paper, on which its dark
 * text reads, while the page around it turns dark. */
static void
test_dark_style (void)
{
  g_autoptr(PdmApplication) application = pdm_test_ui_new_application ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  PdmReportWindow *window;
  g_autoptr(GPtrArray) charts = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  graphene_rect_t bounds;
  int y;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  window = open_window (application, N_ROWS, 1366, 768);
  charts = find_widgets (window, PDM_TYPE_CHART_VIEW);

  shot = pdm_test_ui_render (GTK_WIDGET (window));
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "report-window-dark.png");
  g_assert_true (gtk_widget_compute_bounds (charts->pdata[0], GTK_WIDGET (window), &bounds));
  /* Below the rounded corner, in sight. */
  y = (int) MIN (bounds.origin.y + 40, gtk_widget_get_height (GTK_WIDGET (window)) - 1);
  g_assert_cmpint (y, >, bounds.origin.y + 12);
  g_assert_cmpuint (luminance (pixel_at (shot, (int) bounds.origin.x + 4, y)), >, 240);
  g_assert_cmpuint (luminance (pixel_at (shot, (int) bounds.origin.x - 6, y)), <, 80);

  close_all (application);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* Whether @widget shows in the part of @scrolled in sight. */
static gboolean
in_sight (GtkLabel  *widget,
          GtkWidget *scrolled)
{
  graphene_rect_t bounds;

  if (widget == NULL || !gtk_widget_get_mapped (GTK_WIDGET (widget)) ||
      !gtk_widget_compute_bounds (GTK_WIDGET (widget), scrolled, &bounds))
    return FALSE;

  return bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
}

/* The column view of the first section, in the Indonesian forms of the
 * report's numbers, its footer in bold at the end. */
static void
test_table (void)
{
  g_autoptr(PdmApplication) application = pdm_test_ui_new_application ();
  PdmReportWindow *window = open_window (application, N_ROWS, 1366, 768);
  g_autoptr(GPtrArray) views = find_widgets (window, GTK_TYPE_COLUMN_VIEW);
  GtkColumnView *view;
  GListModel *columns;
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;
  GtkLabel *footer;
  PangoAttrIterator *iterator;
  PangoAttrInt *weight;
  guint n_in_sight = 0;

  g_assert_cmpuint (views->len, ==, 1);
  view = views->pdata[0];
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))),
                    ==, N_ROWS + 1);
  columns = gtk_column_view_get_columns (view);
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 5);

  g_object_unref (pdm_test_ui_render (GTK_WIDGET (window)));
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW);
  /* Many rows in sight, not a slit of one. */
  for (guint i = 0; i < N_ROWS; i++)
    {
      g_autofree char *name = g_strdup_printf ("RW %02u", i + 1);

      n_in_sight += in_sight (find_label (view, name), scrolled);
    }
  g_assert_cmpuint (n_in_sight, >=, 10);
  g_assert_nonnull (find_label (view, "RW 01"));
  g_assert_nonnull (find_label (view, "1.234"));
  g_assert_nonnull (find_label (view, "4.566"));
  g_assert_nonnull (find_label (view, "12,5%"));
  g_assert_nonnull (find_label (view, "3,25"));
  /* Numbers line up at the end of their column. */
  g_assert_cmpfloat (gtk_label_get_xalign (find_label (view, "1.234")), ==, 1.0);
  g_assert_cmpfloat (gtk_label_get_xalign (find_label (view, "RW 01")), ==, 0.0);
  g_assert_false (in_sight (find_label (view, "Jumlah"), scrolled));

  /* Scrolled to its end, the table shows the footer. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_object_unref (pdm_test_ui_render (GTK_WIDGET (window)));
  g_assert_true (in_sight (find_label (view, "Jumlah"), scrolled));
  g_assert_true (in_sight (find_label (view, "RW 30"), scrolled));
  g_assert_false (in_sight (find_label (view, "RW 01"), scrolled));

  footer = find_label (view, "Jumlah");
  g_assert_nonnull (gtk_label_get_attributes (footer));
  iterator = pango_attr_list_get_iterator (gtk_label_get_attributes (footer));
  weight = (PangoAttrInt *) pango_attr_iterator_get (iterator, PANGO_ATTR_WEIGHT);
  g_assert_nonnull (weight);
  g_assert_cmpint (weight->value, ==, PANGO_WEIGHT_BOLD);
  pango_attr_iterator_destroy (iterator);
  g_assert_null (gtk_label_get_attributes (find_label (view, "RW 30")));

  close_all (application);
}

/* --- export ---------------------------------------------------------------- */

static gboolean
export_finished (gpointer data)
{
  return !pdm_report_window_is_exporting (data);
}

/* Exports to @name in @dir as @format and waits for the toast. */
static char *
export (PdmReportWindow *window,
        const char      *dir,
        const char      *name,
        const char      *format)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *toast = g_strdup_printf (_("Saved to “%s”"), name);

  pdm_report_window_export (window, file, format);
  g_assert_true (pdm_report_window_is_exporting (window));
  g_assert_true (pdm_test_wait_for (NULL, export_finished, window, WAIT_MS));
  wait_for_label (window, toast);

  return path;
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  return out;
}

/* The text of cell @ref of sheet @index of the workbook's dump. */
static JsonObject *
xlsx_cell (JsonNode   *workbook,
           guint       index,
           const char *ref)
{
  JsonArray *sheets = json_object_get_array_member (json_node_get_object (workbook), "sheets");
  JsonObject *sheet = json_array_get_object_element (sheets, index);

  return json_object_get_object_member (json_object_get_object_member (sheet, "cells"), ref);
}

static void
test_export (void)
{
  g_autoptr(PdmApplication) application = pdm_test_ui_new_application ();
  PdmReportWindow *window = open_window (application, N_ROWS, 1024, 600);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *pdf = NULL;
  g_autofree char *xlsx = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *script = NULL;
  g_autoptr(JsonNode) workbook = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf_program = g_find_program_in_path ("pdftotext");

  pdf = export (window, dir, "laporan.pdf", "pdf");
  if (pdf_program != NULL)
    {
      const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
      g_autofree char *pdf_text = run (argv);

      g_assert_nonnull (strstr (pdf_text, TITLE));
      g_assert_nonnull (strstr (pdf_text, TABLE_HEADING));
      g_assert_nonnull (strstr (pdf_text, "1.234"));
    }
  else
    {
      g_test_message ("pdftotext is missing (poppler-utils): the PDF is only checked to be one");
      g_file_get_contents (pdf, &text, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (text, "%PDF-"));
      g_clear_pointer (&text, g_free);
    }

  /* The workbook: the title on the summary sheet, the table on its own
   * with numbers as numbers. */
  xlsx = export (window, dir, "laporan.xlsx", "xlsx");
  script = g_build_filename (g_getenv ("PDM_SOURCE_ROOT"), "tests", "dump-xlsx.py", NULL);
  {
    const char *argv[] = { "python3", script, xlsx, NULL };
    g_autofree char *json = run (argv);

    workbook = json_from_string (json, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (json_object_get_string_member (xlsx_cell (workbook, 0, "A1"), "value"), ==,
                   TITLE);
  g_assert_cmpstr (json_object_get_string_member (xlsx_cell (workbook, 1, "A2"), "value"), ==,
                   "RW 01");
  g_assert_cmpstr (json_object_get_string_member (xlsx_cell (workbook, 1, "B2"), "type"), ==,
                   "n");
  g_assert_cmpfloat (json_object_get_double_member (xlsx_cell (workbook, 1, "B2"), "value"), ==,
                     1234);
  g_assert_cmpstr (json_object_get_string_member (xlsx_cell (workbook, 1, "A32"), "value"), ==,
                   "Jumlah");

  /* The CSV for Excel in Indonesian settings: semicolons, decimal commas. */
  csv = export (window, dir, "laporan.csv", "csv");
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "report-window-saved.png");
  g_file_get_contents (csv, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, TABLE_HEADING "\r\n"
                                  "RW;Rumah tangga;Anggota;Desil 1;Rata-rata anggota\r\n"
                                  "RW 01;1234;4566;12,5%;3,25\r\n"));
  g_assert_nonnull (strstr (text, "RW 30;"));
  g_assert_nonnull (strstr (text, "\r\nJumlah;"));

  close_all (application);
  pdm_test_remove_tree (dir);
}

/* A folder that is not there: an error that names it, and no file. */
static void
test_export_missing_folder (void)
{
  g_autoptr(PdmApplication) application = pdm_test_ui_new_application ();
  PdmReportWindow *window = open_window (application, N_ROWS, 1024, 600);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *missing = g_build_filename (dir, "Laporan & Data", NULL);
  g_autofree char *path = g_build_filename (missing, "laporan.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GDir) listing = NULL;
  GtkLabel *error_label = NULL;

  pdm_report_window_export (window, file, "pdf");
  g_assert_true (pdm_test_wait_for (NULL, export_finished, window, WAIT_MS));

  labels = find_widgets (pdm_test_ui_get_child (window, "toast_overlay"), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), path) != NULL)
      error_label = labels->pdata[i];
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (error_label)));
  g_assert_null (find_label (window, _("Saved to “laporan.pdf”")));

  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));

  /* The window can export again. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (pdm_test_ui_get_child (window,
                                                                             "export_button"))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "report.export-menu", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (
    GTK_MENU_BUTTON (pdm_test_ui_get_child (window, "export_button"))))));

  close_all (application);
  pdm_test_remove_tree (dir);
}

/* Cancel while the PDF is written: no file, and the window says so. The
 * table is long enough for the PDF to take a while. */
static void
test_export_cancel (void)
{
  g_autoptr(PdmApplication) application = pdm_test_ui_new_application ();
  PdmReportWindow *window = open_window (application, 5000, 1024, 600);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "laporan.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GDir) listing = NULL;
  GtkWidget *cancel_button = GTK_WIDGET (pdm_test_ui_get_child (window, "cancel_button"));

  pdm_report_window_export (window, file, "pdf");
  g_assert_true (gtk_widget_get_visible (cancel_button));
  g_assert_true (gtk_revealer_get_reveal_child (
    GTK_REVEALER (pdm_test_ui_get_child (window, "progress_revealer"))));
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "report-window-exporting.png");
  g_assert_true (gtk_widget_activate_action (cancel_button, "report.cancel-export", NULL));
  g_assert_true (pdm_test_wait_for (NULL, export_finished, window, WAIT_MS));

  wait_for_label (window, _("The export was cancelled"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));

  close_all (application);
  pdm_test_remove_tree (dir);
}

static gboolean
found_chooser (gpointer data)
{
  GtkWindow **chooser = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && *chooser == NULL; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        *chooser = window;
    }

  return *chooser != NULL;
}

typedef struct
{
  GtkFileChooser *chooser;
  GFile          *folder;
} FolderWait;

static gboolean
chooser_has_file (gpointer data)
{
  FolderWait *wait = data;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (wait->chooser);

  return file != NULL;
}

static gboolean
chooser_in_folder (gpointer data)
{
  FolderWait *wait = data;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (wait->chooser);

  return file != NULL && g_file_has_parent (file, wait->folder);
}

/* Export, PDF (A4) in the menu: a chooser that suggests a name with the
 * title and today's date, and the file where it was chosen. */
static void
test_export_chooser (void)
{
  g_autoptr(PdmApplication) application = pdm_test_ui_new_application ();
  PdmReportWindow *window = open_window (application, N_ROWS, 1024, 600);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s %s.pdf", TITLE, day);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *toast = g_strdup_printf (_("Saved to “%s”"), name);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autofree char *current_name = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  GtkWindow *chooser = NULL;
  FolderWait wait = { NULL, folder };

  /* The chooser starts in the working folder: never the source tree. */
  g_assert_cmpint (g_chdir (dir), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "report.export", "s", "pdf"));
  g_assert_true (pdm_test_wait_for (NULL, found_chooser, &chooser, WAIT_MS));
  current_name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (current_name, ==, name);

  /* It reads its first folder, then the one a person picks. */
  wait.chooser = GTK_FILE_CHOOSER (chooser);
  g_assert_true (pdm_test_wait_for (NULL, chooser_has_file, &wait, WAIT_MS));
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  g_assert_true (pdm_test_wait_for (NULL, chooser_in_folder, &wait, WAIT_MS));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  wait_for_label (window, toast);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  close_all (application);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  pdm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);

  g_test_add_func ("/report-ui/charts", test_charts);
  g_test_add_func ("/report-ui/dark-style", test_dark_style);
  g_test_add_func ("/report-ui/table", test_table);
  g_test_add_func ("/report-ui/export", test_export);
  g_test_add_func ("/report-ui/export-missing-folder", test_export_missing_folder);
  g_test_add_func ("/report-ui/export-cancel", test_export_cancel);
  g_test_add_func ("/report-ui/export-chooser", test_export_chooser);

  return g_test_run ();
}
