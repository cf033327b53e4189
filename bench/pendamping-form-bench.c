/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-form-bench"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "pdm-bench-util.h"
#include "pdm-form-view.h"
#include "pdm-resources.h"

/* Prints one `NAME VALUE UNIT` line per figure: how long a PdmFormView of
 * a generated form of 100 questions of every type takes from nothing to
 * its first frame on screen, beside one of 10 questions in the same run,
 * and how long the skip logic and calculations take to follow one changed
 * answer of the 100-question form.
 *
 * Usage, under a display:
 *   xvfb-run -a -s "-screen 0 1366x768x24" _build/bench/pendamping-form-bench [ROUNDS]
 */

#define WAIT_US (30 * G_USEC_PER_SEC)

/* Ten questions: every type, and a trigger that later questions hang on. */
static void
append_question (GString *json,
                 guint    number,
                 guint    n_questions)
{
  const char *types[] = {
    "yes_no", "single_choice", "likert", "multiple_choice", "number",
    "short_text", "likert", "date", "long_text", "number",
  };
  guint kind = (number - 1) % G_N_ELEMENTS (types);
  const char *type = types[kind];

  g_string_append_printf (json, "{ \"id\": \"q%03u\", \"type\": \"%s\", "
                                "\"label\": \"Pertanyaan nomor %u tentang pelatihan PSM\", "
                                "\"hint\": \"Petunjuk singkat untuk pertanyaan %u.\"",
                          number, type, number, number);

  /* Every other question after the first asks only when the first is yes,
   * so one answer steers half the form. */
  if (number > 1 && number % 2 == 0)
    g_string_append (json, ", \"relevant\": \"${q001} = true\"");

  if (g_str_equal (type, "single_choice") || g_str_equal (type, "multiple_choice"))
    g_string_append (json, ", \"options\": ["
                            "{ \"value\": \"a\", \"label\": \"Pilihan pertama, panjang\" },"
                            "{ \"value\": \"b\", \"label\": \"Pilihan kedua\" },"
                            "{ \"value\": \"c\", \"label\": \"Pilihan ketiga\" },"
                            "{ \"value\": \"d\", \"label\": \"Pilihan keempat\" } ]");
  else if (g_str_equal (type, "likert"))
    g_string_append (json, ", \"scale\": \"penilaian\"");
  else if (kind == 9 && number > 3)
    /* The last of every ten is the sum of the ratings above it. */
    g_string_append_printf (json, ", \"calculate\": \"sum(${q%03u}, ${q%03u})\"",
                            number - 7, number - 3);
  else if (g_str_equal (type, "number"))
    g_string_append (json, ", \"min\": 0, \"max\": 100, \"integer\": true");

  if (kind != 9 && number % 3 == 0)
    g_string_append (json, ", \"required\": true");
  g_string_append (json, number < n_questions && number % 10 != 0 ? " },\n" : " }\n");
}

static PdmForm *
generate_form (guint n_questions)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  PdmForm *form;

  g_string_append_printf (json,
                          "{ \"id\": \"bench-%u\", \"version\": 1, \"kind\": \"survey\",\n"
                          "  \"title\": \"Formulir %u pertanyaan\",\n"
                          "  \"scales\": { \"penilaian\": [\n"
                          "    { \"value\": 4, \"label\": \"Sangat Baik\" },\n"
                          "    { \"value\": 3, \"label\": \"Baik\" },\n"
                          "    { \"value\": 2, \"label\": \"Cukup\" },\n"
                          "    { \"value\": 1, \"label\": \"Kurang\" } ] },\n"
                          "  \"sections\": [\n",
                          n_questions, n_questions);
  for (guint number = 1; number <= n_questions; number++)
    {
      if (number % 10 == 1)
        g_string_append_printf (json, "{ \"id\": \"s%u\", \"title\": \"Bagian %u\", "
                                      "\"description\": \"Keterangan bagian.\", "
                                      "\"questions\": [\n",
                                number / 10 + 1, number / 10 + 1);
      append_question (json, number, n_questions);
      if (number % 10 == 0 || number == n_questions)
        g_string_append (json, number == n_questions ? "] }\n" : "] },\n");
    }
  g_string_append (json, "] }\n");

  form = pdm_form_new_from_string (json->str, (gssize) json->len, &error);
  if (form == NULL)
    g_error ("The generated form is refused: %s", error->message);

  return form;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gint64        *painted_at)
{
  if (*painted_at == 0)
    *painted_at = g_get_monotonic_time ();
}

/* From nothing to the first frame of a window that shows the view of
 * @form in a scrolled window, as PdmFormWindow does; @out_build_us is the
 * part spent making the view. */
static double
time_first_frame (PdmForm *form,
                  double  *out_build_ms)
{
  gint64 start, built, painted_at = 0;
  GtkWidget *window, *scrolled, *view;
  gint64 deadline;

  start = g_get_monotonic_time ();
  view = pdm_form_view_new (form);
  built = g_get_monotonic_time ();

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_widget_realize (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint_cb), &painted_at);
  gtk_window_present (GTK_WINDOW (window));

  deadline = g_get_monotonic_time () + WAIT_US;
  while (painted_at == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (painted_at == 0)
    g_error ("The window never painted");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  *out_build_ms = (built - start) / 1000.0;
  return (painted_at - start) / 1000.0;
}

/* The time of one answer of @question_id changing back and forth, skip
 * logic and calculations included (no layout: that is the next frame's). */
static double
time_answer_change (GtkWidget  *view,
                    const char *question_id,
                    JsonNode   *a,
                    JsonNode   *b,
                    guint       rounds)
{
  g_autofree double *times = g_new (double, rounds);

  for (guint i = 0; i < rounds; i++)
    {
      gint64 start = g_get_monotonic_time ();

      pdm_form_view_set_answer (PDM_FORM_VIEW (view), question_id, i % 2 == 0 ? a : b);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  return pdm_bench_median (times, rounds);
}

int
main (int   argc,
      char *argv[])
{
  guint rounds = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5;
  g_autoptr(PdmForm) small = generate_form (10);
  g_autoptr(PdmForm) large = generate_form (100);
  g_autofree double *small_ms = NULL;
  g_autofree double *large_ms = NULL;
  g_autofree double *build_ms = NULL;
  g_autoptr(JsonNode) yes = json_node_init_boolean (json_node_alloc (), TRUE);
  g_autoptr(JsonNode) no = json_node_init_boolean (json_node_alloc (), FALSE);
  g_autoptr(JsonNode) one = json_node_init_int (json_node_alloc (), 1);
  g_autoptr(JsonNode) two = json_node_init_int (json_node_alloc (), 2);
  double ignored;
  GtkWidget *window, *scrolled, *view;

  setlocale (LC_ALL, "");
  if (!gtk_init_check ())
    {
      g_printerr ("No display: run it under xvfb-run\n");
      return 77;
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  pdm_register_resource ();
  adw_init ();
  rounds = MAX (rounds, 1);

  /* The first window of a process pays for fonts, themes and icons. */
  time_first_frame (small, &ignored);
  time_first_frame (large, &ignored);

  small_ms = g_new (double, rounds);
  large_ms = g_new (double, rounds);
  build_ms = g_new (double, rounds);
  for (guint i = 0; i < rounds; i++)
    {
      small_ms[i] = time_first_frame (small, &ignored);
      large_ms[i] = time_first_frame (large, &build_ms[i]);
    }

  g_print ("form_view_10q_first_frame_median %.1f ms\n", pdm_bench_median (small_ms, rounds));
  g_print ("form_view_100q_first_frame_median %.1f ms\n", pdm_bench_median (large_ms, rounds));
  g_print ("form_view_100q_build_median %.1f ms\n", pdm_bench_median (build_ms, rounds));
  g_print ("form_view_100q_questions %u questions\n", pdm_form_get_n_questions (large));
  g_print ("form_view_first_frame_rounds %u rounds\n", rounds);

  /* Re-evaluation on a view that is shown, as a person types. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  scrolled = gtk_scrolled_window_new ();
  view = pdm_form_view_new (large);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* q001 steers half the questions; q095 nothing; q093 one sum, shown
   * while q001 is yes. */
  g_print ("form_view_100q_relevance_trigger_median %.3f ms\n",
           time_answer_change (view, "q001", yes, no, 50 * rounds));
  pdm_form_view_set_answer (PDM_FORM_VIEW (view), "q001", yes);
  g_print ("form_view_100q_relevance_leaf_median %.3f ms\n",
           time_answer_change (view, "q095", one, two, 50 * rounds));
  g_print ("form_view_100q_calculation_median %.3f ms\n",
           time_answer_change (view, "q093", one, two, 50 * rounds + 1));
  g_printerr ("# q100 = sum(q093, q097) shows %s with q093 = 1\n",
              pdm_form_view_get_shown_value (PDM_FORM_VIEW (view), "q100"));

  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
