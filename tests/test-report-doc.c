/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-report-doc"

#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pdm-chart.h"
#include "pdm-error.h"
#include "pdm-report-doc.h"
#include "pdm-report-pdf.h"
#include "pdm-report-xlsx.h"
#include "pdm-test-util.h"

#define TITLE "Evaluasi Pelatihan Dasar PSM"
#define UTF8_BOM "\xEF\xBB\xBF"

/* The colours the charts draw their data in (pdm-report-util.c, pdm-chart.c). */
#define BLUE_3   0x3584e4
#define DARK_1   0x77767b

/* --- the fixture ---------------------------------------------------------- */

/* A training of three participants: the averages per criterion (a bar
 * chart and its table), the scores before and after (a paired chart and its
 * table, one participant without a post-test) and the participants per
 * kelurahan (a table of counts). */
static PdmReportDoc *
make_doc (gboolean with_charts)
{
  PdmReportDoc *doc = pdm_report_doc_new (TITLE);
  g_autoptr(GDateTime) created = g_date_time_new_local (2026, 11, 28, 10, 0, 0);
  static const struct { const char *name; double mean; double best; } criteria[] = {
    { "Penguasaan materi", 3.5, 66.6667 },
    { "Sistematika penyajian", 3.25, 50 },
    { "Ketepatan waktu", 2.75, 33.3333 },
  };
  static const struct { const char *name; double pre, post; } scores[] = {
    { "Ani", 55, 72.5 },
    { "Budi; Santoso", 60, NAN },
    { "Citra", 40, 80.5 },
  };
  PdmReportSection *section;
  PdmReportTable *table;
  PdmReportChart *chart;
  guint row;

  pdm_report_doc_set_subtitle (doc, "Angkatan I Tahun 2026");
  pdm_report_doc_set_created (doc, created);
  pdm_report_doc_add_detail (doc, "Tempat", "Aula Dinas Sosial Kota Bukittinggi");
  pdm_report_doc_add_detail (doc, "Tanggal", "24–26 November 2026");
  pdm_report_doc_add_detail (doc, "Penyelenggara", "Dinas Sosial Kota Bukittinggi");

  section = pdm_report_doc_add_section (doc, "Rata-rata per kriteria");
  pdm_report_section_add_paragraph (section, "Skala penilaian 1 sampai 4.");
  if (with_charts)
    {
      chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_BAR);
      pdm_report_chart_set_value_format (chart, PDM_REPORT_KIND_DECIMAL, 2);
      pdm_report_chart_set_axis (chart, 4, "Nilai rata-rata");
      pdm_report_chart_add_series (chart, "Rata-rata");
      for (guint i = 0; i < G_N_ELEMENTS (criteria); i++)
        pdm_report_chart_set_value (chart, 0, pdm_report_chart_add_category (chart, criteria[i].name),
                                    criteria[i].mean);
    }
  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, "Kriteria", PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, "Rata-rata", PDM_REPORT_KIND_DECIMAL, 2);
  pdm_report_table_add_column (table, "Sangat Baik", PDM_REPORT_KIND_PERCENT, 1);
  for (guint i = 0; i < G_N_ELEMENTS (criteria); i++)
    {
      row = pdm_report_table_add_row (table);
      pdm_report_table_set_text (table, row, 0, criteria[i].name);
      pdm_report_table_set_value (table, row, 1, criteria[i].mean);
      pdm_report_table_set_value (table, row, 2, criteria[i].best);
    }
  pdm_report_table_set_text (table, PDM_REPORT_FOOTER_ROW, 0, "Rata-rata");
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 1, 9.5 / 3);

  section = pdm_report_doc_add_section (doc, "Nilai pre-test dan post-test");
  if (with_charts)
    {
      chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_PAIRED);
      pdm_report_chart_set_axis (chart, 100, "Nilai");
      pdm_report_chart_set_category_label (chart, "Peserta, urut nilai pre-test");
      pdm_report_chart_add_series (chart, "Pre-test");
      pdm_report_chart_add_series (chart, "Post-test");
      for (guint i = 0; i < G_N_ELEMENTS (scores); i++)
        {
          guint category = pdm_report_chart_add_category (chart, scores[i].name);

          pdm_report_chart_set_value (chart, 0, category, scores[i].pre);
          pdm_report_chart_set_value (chart, 1, category, scores[i].post);
        }
    }
  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, "Nama", PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, "Pre-test", PDM_REPORT_KIND_DECIMAL, 1);
  pdm_report_table_add_column (table, "Post-test", PDM_REPORT_KIND_DECIMAL, 1);
  pdm_report_table_add_column (table, "Kenaikan", PDM_REPORT_KIND_DECIMAL, 1);
  for (guint i = 0; i < G_N_ELEMENTS (scores); i++)
    {
      row = pdm_report_table_add_row (table);
      pdm_report_table_set_text (table, row, 0, scores[i].name);
      pdm_report_table_set_value (table, row, 1, scores[i].pre);
      pdm_report_table_set_value (table, row, 2, scores[i].post);
      pdm_report_table_set_value (table, row, 3, scores[i].post - scores[i].pre);
    }
  pdm_report_table_set_text (table, PDM_REPORT_FOOTER_ROW, 0, "Rata-rata");
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 1, 155.0 / 3);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 2, 76.5);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 3, 29);

  section = pdm_report_doc_add_section (doc, "Peserta per kelurahan");
  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, "Kelurahan", PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, "Peserta", PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, "Bagian", PDM_REPORT_KIND_PERCENT, 1);
  row = pdm_report_table_add_row (table);
  pdm_report_table_set_text (table, row, 0, "Campago Ipuh");
  pdm_report_table_set_value (table, row, 1, 1234);
  pdm_report_table_set_value (table, row, 2, 99.4);
  row = pdm_report_table_add_row (table);
  pdm_report_table_set_text (table, row, 0, "Pakan Labuah");
  pdm_report_table_set_value (table, row, 1, 7);
  pdm_report_table_set_value (table, row, 2, 0.6);

  return doc;
}

/* --- helpers ---------------------------------------------------------- */

/* Skips the test when @program is missing; the setup script installs it. */
static gboolean
require_program (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed (poppler-utils)", program);

      g_test_skip (message);
      return FALSE;
    }

  return TRUE;
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);

  return out;
}

/* The text of each page of the PDF at @path, in its layout. */
static GStrv
pdf_pages (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *text = run (argv);
  g_auto(GStrv) pages = g_strsplit (text, "\f", -1);
  guint n = g_strv_length (pages);

  /* pdftotext ends every page with a form feed. */
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (pages[n - 1], ==, "");
  g_free (pages[n - 1]);
  pages[n - 1] = NULL;

  return g_steal_pointer (&pages);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is missing from:\n%s", needle, haystack);
}

/* A writer's error names the file it could not save. */
static void
assert_not_saved (const GError *error,
                  const char   *path)
{
  g_assert_error (error, PDM_ERROR, PDM_ERROR_FAILED);
  assert_contains (error->message, path);
}

/* Page @page of the PDF at @path as an image at 50 dpi. */
static cairo_surface_t *
render_page (const char *path,
             guint       page,
             const char *png_prefix)
{
  g_autofree char *number = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftoppm", "-r", "50", "-png", "-singlefile", "-f", number, "-l", number,
                         path, png_prefix, NULL };
  g_autofree char *out = run (argv);
  g_autofree char *png = g_strconcat (png_prefix, ".png", NULL);
  cairo_surface_t *surface = cairo_image_surface_create_from_png (png);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static gboolean
pixel_is (cairo_surface_t *surface,
          int              x,
          int              y,
          guint32          rgb,
          int              tolerance)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel = *(const guint32 *) (data + y * stride + x * 4);

  return (pixel >> 24) == 0xff &&
         ABS ((int) ((pixel >> 16) & 0xff) - (int) ((rgb >> 16) & 0xff)) <= tolerance &&
         ABS ((int) ((pixel >> 8) & 0xff) - (int) ((rgb >> 8) & 0xff)) <= tolerance &&
         ABS ((int) (pixel & 0xff) - (int) (rgb & 0xff)) <= tolerance;
}

typedef gboolean (*PixelTest) (guint8 r,
                               guint8 g,
                               guint8 b);

static gboolean
is_blue_3 (guint8 r,
           guint8 g,
           guint8 b)
{
  return ABS (r - 0x35) <= 24 && ABS (g - 0x84) <= 24 && ABS (b - 0xe4) <= 24;
}

/* Green or red of any lightness: the lines of a paired chart are drawn
 * half transparent. */
static gboolean
is_green (guint8 r,
          guint8 g,
          guint8 b)
{
  return g > r + 40 && g > b + 10;
}

static gboolean
is_red (guint8 r,
        guint8 g,
        guint8 b)
{
  return r > g + 60 && r > b + 60;
}

/* How many pixels of @surface, from row @y_min down, pass @test. */
static guint
count_pixels (cairo_surface_t *surface,
              PixelTest        test,
              int              y_min)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  const guchar *data;
  int stride;
  guint n = 0;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = y_min; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4);

        n += test ((pixel >> 16) & 0xff, (pixel >> 8) & 0xff, pixel & 0xff);
      }

  return n;
}

static cairo_surface_t *
draw_chart (const PdmReportChart *chart,
            int                   width,
            int                   height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  pdm_chart_draw (cr, chart, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* --- numbers ---------------------------------------------------------- */

static void
test_format_values (void)
{
  g_autofree char *integer = pdm_report_format_value (PDM_REPORT_KIND_INTEGER, 0, 1234);
  g_autofree char *decimal = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 1, 72.5);
  g_autofree char *large = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 1, 1234.5);
  g_autofree char *percent = pdm_report_format_value (PDM_REPORT_KIND_PERCENT, 1, 72.5);
  g_autofree char *none = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 1, NAN);
  g_autofree char *tiny_loss = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 1, -0.04);
  g_autofree char *expected_percent = g_strdup_printf (C_("percent", "%s%%"), "72,5");

  /* Indonesian marks: a dot groups thousands, a comma starts decimals. */
  g_assert_cmpstr (integer, ==, "1.234");
  g_assert_cmpstr (decimal, ==, "72,5");
  g_assert_cmpstr (large, ==, "1.234,5");
  g_assert_cmpstr (percent, ==, expected_percent);
  g_assert_cmpstr (none, ==, "—");
  g_assert_cmpstr (tiny_loss, ==, "0,0");
}

static void
test_table_cells (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (FALSE);
  PdmReportTable *table = pdm_report_section_get_table (pdm_report_doc_get_section (doc, 1));
  g_autofree char *missing = pdm_report_table_format_cell (table, 1, 2);
  g_autofree char *name = pdm_report_table_format_cell (table, 1, 0);
  g_autofree char *footer = pdm_report_table_format_cell (table, PDM_REPORT_FOOTER_ROW, 1);

  g_assert_cmpuint (pdm_report_table_get_n_rows (table), ==, 3);
  g_assert_true (pdm_report_table_has_footer (table));
  g_assert_true (isnan (pdm_report_table_get_value (table, 1, 2)));
  g_assert_cmpstr (missing, ==, "—");
  g_assert_cmpstr (name, ==, "Budi; Santoso");
  g_assert_cmpstr (footer, ==, "51,7");
  g_assert_cmpint (pdm_report_table_get_align (table, 0), ==, PDM_REPORT_ALIGN_START);
  g_assert_cmpint (pdm_report_table_get_align (table, 1), ==, PDM_REPORT_ALIGN_END);
}

/* --- CSV ------------------------------------------------------------------ */

static const char expected_csv[] =
  UTF8_BOM
  "Rata-rata per kriteria\r\n"
  "Kriteria;Rata-rata;Sangat Baik\r\n"
  "Penguasaan materi;3,50;66,7%\r\n"
  "Sistematika penyajian;3,25;50,0%\r\n"
  "Ketepatan waktu;2,75;33,3%\r\n"
  "Rata-rata;3,17;\r\n"
  "\r\n"
  "Nilai pre-test dan post-test\r\n"
  "Nama;Pre-test;Post-test;Kenaikan\r\n"
  "Ani;55,0;72,5;17,5\r\n"
  "\"Budi; Santoso\";60,0;;\r\n"
  "Citra;40,0;80,5;40,5\r\n"
  "Rata-rata;51,7;76,5;29,0\r\n"
  "\r\n"
  "Peserta per kelurahan\r\n"
  "Kelurahan;Peserta;Bagian\r\n"
  "Campago Ipuh;1234;99,4%\r\n"
  "Pakan Labuah;7;0,6%\r\n";

static void
test_csv_semicolon (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (TRUE);
  g_autoptr(GBytes) csv = pdm_report_doc_to_csv (doc, ';');
  g_autofree char *text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));

  /* A `;` file is for Excel in Indonesian settings: decimal commas, no
   * grouping, an empty cell where a number is missing. */
  g_assert_cmpstr (text, ==, expected_csv);
}

static void
test_csv_comma (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (TRUE);
  g_autoptr(GBytes) csv = pdm_report_doc_to_csv (doc, ',');
  g_autofree char *text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));

  /* With `,` between cells, numbers take a decimal point. */
  assert_contains (text, "\r\nAni,55.0,72.5,17.5\r\n");
  assert_contains (text, "\r\nBudi; Santoso,60.0,,\r\n");
  assert_contains (text, "\r\nCampago Ipuh,1234,99.4%\r\n");
}

static void
test_csv_file (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (TRUE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "laporan.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "laporan.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_report_doc_write_csv (doc, path, ';', &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected_csv);

  g_assert_false (pdm_report_doc_write_csv (doc, missing, ';', &error));
  assert_not_saved (error, missing);

  pdm_test_remove_tree (dir);
}

/* --- charts --------------------------------------------------------------- */

/* The bars of @surface in @rgb from left to right: their heights. */
static GArray *
bar_heights (cairo_surface_t *surface,
             guint32          rgb)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  GArray *bars = g_array_new (FALSE, FALSE, sizeof (int));
  int run_height = 0;

  for (int x = 0; x <= width; x++)
    {
      int column = 0;

      for (int y = 0; x < width && y < height; y++)
        column += pixel_is (surface, x, y, rgb, 8);

      if (column > 0)
        run_height = MAX (run_height, column);
      else if (run_height > 0)
        {
          g_array_append_val (bars, run_height);
          run_height = 0;
        }
    }

  return bars;
}

static void
test_chart_bar_heights (void)
{
  g_autoptr(PdmReportDoc) doc = pdm_report_doc_new ("Bars");
  PdmReportChart *chart = pdm_report_section_add_chart (pdm_report_doc_add_section (doc, "A"),
                                                        PDM_REPORT_CHART_BAR);
  static const double values[] = { 25, 50, 100 };
  cairo_surface_t *surface;
  g_autoptr(GArray) bars = NULL;
  int first;

  pdm_report_chart_set_axis (chart, 100, "Persen");
  pdm_report_chart_set_value_format (chart, PDM_REPORT_KIND_PERCENT, 0);
  pdm_report_chart_add_series (chart, "Nilai");
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    pdm_report_chart_set_value (chart, 0,
                                pdm_report_chart_add_category (chart, "Penggunaan metode dan media"),
                                values[i]);

  surface = draw_chart (chart, 480, 260);
  bars = bar_heights (surface, BLUE_3);
  cairo_surface_destroy (surface);

  /* One bar per category, as tall as its value on the axis. */
  g_assert_cmpuint (bars->len, ==, 3);
  first = g_array_index (bars, int, 0);
  g_assert_cmpint (first, >, 20);
  g_assert_cmpint (ABS (g_array_index (bars, int, 1) - 2 * first), <=, 2);
  g_assert_cmpint (ABS (g_array_index (bars, int, 2) - 4 * first), <=, 3);
}

typedef struct
{
  double x, y;
  guint  n;
} Dot;

static int
compare_dots (gconstpointer a,
              gconstpointer b)
{
  const Dot *da = a, *db = b;

  return da->x < db->x ? -1 : da->x > db->x;
}

/* The centres of the dots of @rgb below row @y_min, left to right: the
 * pixels whose 3 × 3 neighbourhood is all of that colour, which lines and
 * text never have, grouped by nearness. */
static GArray *
dot_centres (cairo_surface_t *surface,
             guint32          rgb,
             int              y_min)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  GArray *dots = g_array_new (FALSE, FALSE, sizeof (Dot));

  for (int y = MAX (y_min, 1); y < height - 1; y++)
    for (int x = 1; x < width - 1; x++)
      {
        gboolean core = TRUE;
        guint i;

        for (int dy = -1; dy <= 1 && core; dy++)
          for (int dx = -1; dx <= 1 && core; dx++)
            core = pixel_is (surface, x + dx, y + dy, rgb, 8);
        if (!core)
          continue;

        for (i = 0; i < dots->len; i++)
          {
            Dot *dot = &g_array_index (dots, Dot, i);

            if (fabs (dot->x - x) <= 4 && fabs (dot->y - y) <= 4)
              {
                dot->x = (dot->x * dot->n + x) / (dot->n + 1);
                dot->y = (dot->y * dot->n + y) / (dot->n + 1);
                dot->n++;
                break;
              }
          }
        if (i == dots->len)
          {
            Dot dot = { x, y, 1 };

            g_array_append_val (dots, dot);
          }
      }

  g_array_sort (dots, compare_dots);
  return dots;
}

static void
test_chart_paired (void)
{
  g_autoptr(PdmReportDoc) doc = pdm_report_doc_new ("Pairs");
  PdmReportChart *chart = pdm_report_section_add_chart (pdm_report_doc_add_section (doc, "A"),
                                                        PDM_REPORT_CHART_PAIRED);
  static const double pre[] = { 80, 20, 50, 35, 65 };
  static const double post[] = { 90, 60, 45, 70, 85 };
  cairo_surface_t *surface;
  g_autoptr(GArray) pre_dots = NULL;
  g_autoptr(GArray) post_dots = NULL;
  guint n_up, n_down;

  pdm_report_chart_set_axis (chart, 100, "Nilai");
  pdm_report_chart_add_series (chart, "Pre-test");
  pdm_report_chart_add_series (chart, "Post-test");
  for (guint i = 0; i < G_N_ELEMENTS (pre); i++)
    {
      g_autofree char *name = g_strdup_printf ("Peserta %u", i + 1);
      guint category = pdm_report_chart_add_category (chart, name);

      pdm_report_chart_set_value (chart, 0, category, pre[i]);
      pdm_report_chart_set_value (chart, 1, category, post[i]);
    }

  surface = draw_chart (chart, 500, 300);
  /* Below the legend, which has a dot of each colour too. */
  pre_dots = dot_centres (surface, DARK_1, 30);
  post_dots = dot_centres (surface, BLUE_3, 30);
  n_up = count_pixels (surface, is_green, 30);
  n_down = count_pixels (surface, is_red, 30);
  cairo_surface_destroy (surface);

  /* Sorted by the pre-test, the grey dots rise from left to right. */
  g_assert_cmpuint (pre_dots->len, ==, 5);
  g_assert_cmpuint (post_dots->len, ==, 5);
  for (guint i = 1; i < pre_dots->len; i++)
    g_assert_cmpfloat (g_array_index (pre_dots, Dot, i).y, <, g_array_index (pre_dots, Dot, i - 1).y);

  /* Each post-test dot stands over its own participant: in pre-test order
   * the post-tests are 60, 70, 45, 85, 90. */
  for (guint i = 0; i < post_dots->len; i++)
    g_assert_cmpfloat (fabs (g_array_index (post_dots, Dot, i).x - g_array_index (pre_dots, Dot, i).x),
                       <, 2);
  g_assert_cmpfloat (g_array_index (post_dots, Dot, 2).y, >, g_array_index (post_dots, Dot, 0).y);
  g_assert_cmpfloat (g_array_index (post_dots, Dot, 0).y, >, g_array_index (post_dots, Dot, 1).y);
  g_assert_cmpfloat (g_array_index (post_dots, Dot, 1).y, >, g_array_index (post_dots, Dot, 3).y);
  g_assert_cmpfloat (g_array_index (post_dots, Dot, 3).y, >, g_array_index (post_dots, Dot, 4).y);

  /* Four gains joined in green, the one loss (50 → 45) in red. */
  g_assert_cmpuint (n_up, >, 4 * 20);
  g_assert_cmpuint (n_down, >, 3);
}

/* --- PDF ------------------------------------------------------------------ */

static char *
write_pdf (PdmReportDoc *doc,
           const char   *dir,
           const char   *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_report_doc_write_pdf (doc, path, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static void
test_pdf_content (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (TRUE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = write_pdf (doc, dir, "laporan.pdf");
  const char *info_argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = NULL;
  g_auto(GStrv) pages = NULL;
  g_autofree char *all = NULL;
  g_autofree char *created = g_strdup_printf (_("Created %s"), "28 November 2026");
  static const char * const expected[] = {
    TITLE, "Angkatan I Tahun 2026",
    "Tempat", "Aula Dinas Sosial Kota Bukittinggi", "Tanggal", "24–26 November 2026",
    "Penyelenggara", "Dinas Sosial Kota Bukittinggi",
    "Rata-rata per kriteria", "Skala penilaian 1 sampai 4.",
    "Kriteria", "Sangat Baik", "Penguasaan materi", "3,50", "66,7%", "3,17",
    "Nilai pre-test dan post-test", "Nama", "Pre-test", "Post-test", "Kenaikan",
    "Budi; Santoso", "72,5", "80,5", "40,5", "51,7", "—",
    "Peserta per kelurahan", "Kelurahan", "Campago Ipuh", "1.234", "99,4%",
  };

  if (!require_program ("pdftotext") || !require_program ("pdfinfo"))
    return;

  info = run (info_argv);
  assert_contains (info, "Title:           " TITLE "\n");
  assert_contains (info, "Page size:       595.276 x 841.89 pts (A4)");

  pages = pdf_pages (path);
  all = g_strjoinv ("\n", pages);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_contains (all, expected[i]);

  /* Every page says which it is of how many, and when the report was made. */
  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autofree char *footer = g_strdup_printf (_("Page %u of %u"), i + 1, g_strv_length (pages));

      assert_contains (pages[i], footer);
      assert_contains (pages[i], created);
    }

  pdm_test_remove_tree (dir);
}

/* The charts are drawn into the PDF: its first page holds the bars in the
 * series colour, which a report without charts does not have at all. */
static void
test_pdf_chart_drawn (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (TRUE);
  g_autoptr(PdmReportDoc) plain = make_doc (FALSE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = write_pdf (doc, dir, "laporan.pdf");
  g_autofree char *plain_path = write_pdf (plain, dir, "tanpa-grafik.pdf");
  g_autofree char *prefix = g_build_filename (dir, "halaman", NULL);
  g_autofree char *plain_prefix = g_build_filename (dir, "tanpa-grafik", NULL);
  cairo_surface_t *page;
  guint with_chart, without_chart;

  if (!require_program ("pdftoppm"))
    return;

  page = render_page (path, 1, prefix);
  with_chart = count_pixels (page, is_blue_3, 0);
  cairo_surface_destroy (page);

  page = render_page (plain_path, 1, plain_prefix);
  without_chart = count_pixels (page, is_blue_3, 0);
  cairo_surface_destroy (page);

  /* Three bars of about 20 × 50 pixels at 50 dpi. */
  g_assert_cmpuint (with_chart, >, 1000);
  g_assert_cmpuint (without_chart, <, 20);

  pdm_test_remove_tree (dir);
}

/* A chart that does not fit under the text before it goes whole to the
 * next page. */
static void
test_pdf_chart_not_cut (void)
{
  g_autoptr(PdmReportDoc) doc = pdm_report_doc_new (TITLE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = NULL;
  g_autofree char *prefix = g_build_filename (dir, "halaman", NULL);
  PdmReportSection *section = pdm_report_doc_add_section (doc, "Catatan");
  PdmReportChart *chart;
  cairo_surface_t *page;
  g_auto(GStrv) pages = NULL;
  guint on_first, on_second;

  if (!require_program ("pdftoppm") || !require_program ("pdftotext"))
    return;

  /* About three quarters of a page of text. */
  for (guint i = 0; i < 16; i++)
    pdm_report_section_add_paragraph (section,
                                      "Peserta mengikuti sesi dengan tertib. Materi disampaikan "
                                      "oleh narasumber dari BBPPKS Padang dan IPSM, dengan "
                                      "diskusi kelompok dan praktik pendampingan keluarga.");
  /* The heading and its line fit under the text, the chart does not. */
  section = pdm_report_doc_add_section (doc, "Rata-rata per kriteria");
  pdm_report_section_add_paragraph (section, "Skala penilaian 1 sampai 4.");
  chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_BAR);
  pdm_report_chart_set_axis (chart, 4, NULL);
  pdm_report_chart_add_series (chart, "Rata-rata");
  for (guint i = 0; i < 6; i++)
    pdm_report_chart_set_value (chart, 0, pdm_report_chart_add_category (chart, "Kriteria"),
                                3.5);

  path = write_pdf (doc, dir, "laporan.pdf");
  page = render_page (path, 1, prefix);
  on_first = count_pixels (page, is_blue_3, 0);
  cairo_surface_destroy (page);
  page = render_page (path, 2, prefix);
  on_second = count_pixels (page, is_blue_3, 0);
  cairo_surface_destroy (page);
  pages = pdf_pages (path);

  g_assert_cmpuint (on_first, ==, 0);
  g_assert_cmpuint (on_second, >, 1000);
  g_assert_cmpuint (g_strv_length (pages), ==, 2);
  assert_contains (pages[0], "Skala penilaian 1 sampai 4.");

  pdm_test_remove_tree (dir);
}

/* 135 participants, the size of the Pelatihan Dasar PSM: the table goes on
 * over pages, each with the header again, and no row is cut. */
static void
test_pdf_long_table (void)
{
  g_autoptr(PdmReportDoc) doc = pdm_report_doc_new (TITLE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = NULL;
  g_auto(GStrv) pages = NULL;
  g_autofree char *continued = NULL;
  PdmReportSection *section = pdm_report_doc_add_section (doc, "Nilai per peserta");
  PdmReportTable *table = pdm_report_section_add_table (section);
  guint n_pages, page = 0, n_wrapped = 0;

  if (!require_program ("pdftotext"))
    return;

  pdm_report_table_add_column (table, "No.", PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, "Nama peserta", PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, "Kelurahan", PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, "Nilai pre-test", PDM_REPORT_KIND_DECIMAL, 1);
  pdm_report_table_add_column (table, "Nilai post-test", PDM_REPORT_KIND_DECIMAL, 1);
  pdm_report_table_add_column (table, "Kenaikan", PDM_REPORT_KIND_DECIMAL, 1);
  for (guint i = 1; i <= 135; i++)
    {
      guint row = pdm_report_table_add_row (table);
      /* Names long enough to wrap, with a mark at either end. */
      g_autofree char *name = g_strdup_printf ("Awal-%03u Siti Rahmawati Nurul Hidayah binti "
                                               "Muhammad Yusuf Akhir-%03u", i, i);

      pdm_report_table_set_value (table, row, 0, i);
      pdm_report_table_set_text (table, row, 1, name);
      pdm_report_table_set_text (table, row, 2, "Campago Guguk Bulek");
      pdm_report_table_set_value (table, row, 3, 40 + i % 50);
      pdm_report_table_set_value (table, row, 4, 60 + i % 40);
      pdm_report_table_set_value (table, row, 5, 20 + i % 40 - i % 50);
    }

  path = write_pdf (doc, dir, "laporan.pdf");
  pages = pdf_pages (path);
  n_pages = g_strv_length (pages);
  g_assert_cmpuint (n_pages, >=, 3);

  /* Translators' text as the catalogue has it: "... (lanjutan)". */
  continued = g_strdup_printf (_("%s (continued)"), "Nilai per peserta");
  for (guint i = 0; i < n_pages; i++)
    {
      assert_contains (pages[i], "Nilai pre-test");
      assert_contains (pages[i], "Nama peserta");
      if (i > 0)
        assert_contains (pages[i], continued);
    }

  for (guint i = 1; i <= 135; i++)
    {
      g_autofree char *start = g_strdup_printf ("Awal-%03u", i);
      g_autofree char *end = g_strdup_printf ("Akhir-%03u", i);
      const char *start_at;
      const char *end_at;

      /* In order, never going back a page. */
      while (page < n_pages && strstr (pages[page], start) == NULL)
        page++;
      g_assert_cmpuint (page, <, n_pages);

      start_at = strstr (pages[page], start);
      end_at = strstr (pages[page], end);
      g_assert_nonnull (end_at);
      g_assert_true (end_at > start_at);
      if (memchr (start_at, '\n', end_at - start_at) != NULL)
        n_wrapped++;
    }

  /* Else the test would say nothing about cut rows. */
  g_assert_cmpuint (n_wrapped, ==, 135);

  pdm_test_remove_tree (dir);
}

/* A failed or cancelled export leaves the report that was there whole, and
 * no stray file beside it. */
static void
test_pdf_cancelled (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "laporan.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "laporan.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  g_assert_true (g_file_set_contents (path, "laporan lama", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (pdm_report_doc_write_pdf (doc, path, cancellable, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "laporan lama");

  listing = g_dir_open (dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "laporan.pdf");
  g_assert_null (g_dir_read_name (listing));

  g_clear_error (&error);
  g_assert_false (pdm_report_doc_write_pdf (doc, missing, NULL, &error));
  assert_not_saved (error, missing);

  pdm_test_remove_tree (dir);
}

/* --- XLSX ----------------------------------------------------------------- */

static JsonObject *
sheet_at (JsonNode *workbook,
          guint     index)
{
  JsonArray *sheets = json_object_get_array_member (json_node_get_object (workbook), "sheets");

  return json_array_get_object_element (sheets, index);
}

/* The cell @ref of a sheet of the dump, or NULL. */
static JsonObject *
cell_at (JsonObject *sheet,
         const char *ref)
{
  JsonObject *cells = json_object_get_object_member (sheet, "cells");

  return json_object_has_member (cells, ref) ? json_object_get_object_member (cells, ref) : NULL;
}

static void
assert_text_cell (JsonObject *sheet,
                  const char *ref,
                  const char *text,
                  gboolean    bold)
{
  JsonObject *cell = cell_at (sheet, ref);

  g_assert_nonnull (cell);
  g_assert_cmpstr (json_object_get_string_member (cell, "type"), ==, "s");
  g_assert_cmpstr (json_object_get_string_member (cell, "value"), ==, text);
  g_assert_cmpint (json_object_get_boolean_member (cell, "bold"), ==, bold);
}

static void
assert_number_cell (JsonObject *sheet,
                    const char *ref,
                    double      value,
                    const char *format)
{
  JsonObject *cell = cell_at (sheet, ref);

  g_assert_nonnull (cell);
  /* A number, not text, and written with a decimal point whatever the
   * locale of the program that wrote it. */
  g_assert_cmpstr (json_object_get_string_member (cell, "type"), ==, "n");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (cell, "value"), value, 1e-6);
  g_assert_cmpstr (json_object_get_string_member (cell, "format"), ==, format);
}

static JsonNode *
dump_xlsx (const char *path)
{
  g_autofree char *script = g_build_filename (g_getenv ("PDM_SOURCE_ROOT"), "tests",
                                              "dump-xlsx.py", NULL);
  const char *argv[] = { "python3", script, path, NULL };
  g_autofree char *json = run (argv);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_xlsx_cells (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (TRUE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "laporan.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) workbook = NULL;
  JsonArray *sheets;
  JsonObject *sheet;
  JsonObject *missing;

  g_assert_true (pdm_report_doc_write_xlsx (doc, path, &error));
  g_assert_no_error (error);

  workbook = dump_xlsx (path);
  sheets = json_object_get_array_member (json_node_get_object (workbook), "sheets");
  g_assert_cmpuint (json_array_get_length (sheets), ==, 4);

  /* The summary: the title and the details. */
  sheet = sheet_at (workbook, 0);
  g_assert_cmpstr (json_object_get_string_member (sheet, "name"), ==, _("Summary"));
  assert_text_cell (sheet, "A1", TITLE, TRUE);
  assert_text_cell (sheet, "A2", "Angkatan I Tahun 2026", FALSE);
  assert_text_cell (sheet, "A4", "Tempat", TRUE);
  assert_text_cell (sheet, "B4", "Aula Dinas Sosial Kota Bukittinggi", FALSE);
  assert_text_cell (sheet, "B6", "Dinas Sosial Kota Bukittinggi", FALSE);

  /* A sheet per table, its header bold and frozen, its numbers numbers. */
  sheet = sheet_at (workbook, 1);
  g_assert_cmpstr (json_object_get_string_member (sheet, "name"), ==, "Rata-rata per kriteria");
  g_assert_cmpint (json_object_get_int_member (sheet, "frozen_rows"), ==, 1);
  assert_text_cell (sheet, "A1", "Kriteria", TRUE);
  assert_text_cell (sheet, "C1", "Sangat Baik", TRUE);
  assert_text_cell (sheet, "A2", "Penguasaan materi", FALSE);
  assert_number_cell (sheet, "B2", 3.5, "#,##0.00");
  assert_number_cell (sheet, "C2", 0.666667, "0.0%");
  assert_text_cell (sheet, "A5", "Rata-rata", TRUE);
  assert_number_cell (sheet, "B5", 9.5 / 3, "#,##0.00");

  sheet = sheet_at (workbook, 2);
  g_assert_cmpstr (json_object_get_string_member (sheet, "name"), ==,
                   "Nilai pre-test dan post-test");
  assert_text_cell (sheet, "A3", "Budi; Santoso", FALSE);
  assert_number_cell (sheet, "C2", 72.5, "#,##0.0");
  /* A missing post-test is an empty cell, not a zero. */
  missing = cell_at (sheet, "C3");
  g_assert_true (missing == NULL || json_object_get_null_member (missing, "value"));

  sheet = sheet_at (workbook, 3);
  assert_number_cell (sheet, "B2", 1234, "#,##0");
  assert_number_cell (sheet, "C3", 0.006, "0.0%");

  pdm_test_remove_tree (dir);
}

static void
test_xlsx_sheet_names (void)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PdmReportDoc) doc = pdm_report_doc_new (TITLE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "laporan.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) workbook = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char * const headings[] = {
    "Evaluasi narasumber: BBPPKS Padang [hari 1/2]",
    "Evaluasi narasumber: BBPPKS Padang [hari 2/2]",
    "'Kutipan'",
    "History",
    "   ",
    "Ringkasan",
  };
  JsonArray *sheets;
  char *name;

  /* Excel's rules, with names apart regardless of case. */
  name = pdm_xlsx_sheet_name ("Nilai: pre/post? *semua*", taken);
  g_assert_cmpstr (name, ==, "Nilai- pre-post- -semua-");
  g_free (name);
  name = pdm_xlsx_sheet_name ("NILAI- PRE-POST- -SEMUA-", taken);
  g_assert_cmpstr (name, ==, "NILAI- PRE-POST- -SEMUA- (2)");
  g_free (name);

  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    {
      PdmReportTable *table = pdm_report_section_add_table (pdm_report_doc_add_section (doc, headings[i]));

      pdm_report_table_add_column (table, "Nilai", PDM_REPORT_KIND_INTEGER, 0);
      pdm_report_table_set_value (table, pdm_report_table_add_row (table), 0, i);
    }

  g_assert_true (pdm_report_doc_write_xlsx (doc, path, &error));
  g_assert_no_error (error);
  workbook = dump_xlsx (path);
  sheets = json_object_get_array_member (json_node_get_object (workbook), "sheets");
  g_assert_cmpuint (json_array_get_length (sheets), ==, G_N_ELEMENTS (headings) + 1);

  for (guint i = 0; i < json_array_get_length (sheets); i++)
    {
      const char *sheet_name = json_object_get_string_member (sheet_at (workbook, i), "name");

      g_assert_cmpint (g_utf8_strlen (sheet_name, -1), <=, 31);
      g_assert_cmpint (g_utf8_strlen (sheet_name, -1), >, 0);
      g_assert_null (strpbrk (sheet_name, ":\\/?*[]"));
      g_assert_cmpint (sheet_name[0], !=, '\'');
      g_assert_cmpint (g_ascii_strcasecmp (sheet_name, "History"), !=, 0);
      g_assert_true (g_hash_table_add (seen, g_utf8_casefold (sheet_name, -1)));
    }
  /* The two long headings, cut to 31 characters, are told apart. */
  g_assert_cmpstr (json_object_get_string_member (sheet_at (workbook, 1), "name"), ==,
                   "Evaluasi narasumber- BBPPKS Pad");
  g_assert_cmpstr (json_object_get_string_member (sheet_at (workbook, 2), "name"), ==,
                   "Evaluasi narasumber- BBPPKS (2)");
  g_assert_cmpstr (json_object_get_string_member (sheet_at (workbook, 3), "name"), ==, "Kutipan");

  pdm_test_remove_tree (dir);
}

static void
test_xlsx_error (void)
{
  g_autoptr(PdmReportDoc) doc = make_doc (FALSE);
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "laporan.xlsx", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (pdm_report_doc_write_xlsx (doc, missing, &error));
  assert_not_saved (error, missing);

  pdm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  pdm_test_use_indonesian ();

  g_test_add_func ("/report/format/values", test_format_values);
  g_test_add_func ("/report/table/cells", test_table_cells);
  g_test_add_func ("/report/csv/semicolon", test_csv_semicolon);
  g_test_add_func ("/report/csv/comma", test_csv_comma);
  g_test_add_func ("/report/csv/file", test_csv_file);
  g_test_add_func ("/report/chart/bar-heights", test_chart_bar_heights);
  g_test_add_func ("/report/chart/paired", test_chart_paired);
  g_test_add_func ("/report/pdf/content", test_pdf_content);
  g_test_add_func ("/report/pdf/chart-drawn", test_pdf_chart_drawn);
  g_test_add_func ("/report/pdf/chart-not-cut", test_pdf_chart_not_cut);
  g_test_add_func ("/report/pdf/long-table", test_pdf_long_table);
  g_test_add_func ("/report/pdf/cancelled", test_pdf_cancelled);
  g_test_add_func ("/report/xlsx/cells", test_xlsx_cells);
  g_test_add_func ("/report/xlsx/sheet-names", test_xlsx_sheet_names);
  g_test_add_func ("/report/xlsx/error", test_xlsx_error);

  return g_test_run ();
}
