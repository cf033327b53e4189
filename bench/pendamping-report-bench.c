/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-report-bench"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pdm-bench-util.h"
#include "pdm-database.h"
#include "pdm-form.h"
#include "pdm-report-pdf.h"
#include "pdm-report-xlsx.h"
#include "pdm-repository.h"
#include "pdm-training-report.h"
#include "pdm-training.h"

/*
 * The evaluation report of a training, in a fresh database:
 *
 *   (a) the Pelatihan Dasar PSM: 135 participants from the 24 kelurahan,
 *       3 sessions, each participant with a pre-test, a post-test, a
 *       speaker evaluation per session and an organisation evaluation
 *       (810 responses);
 *   (b) 10,000 responses: 2,000 participants, 2 sessions, the same forms.
 *
 * For each: computing the figures (pdm_training_report_compute(), and the
 * async call with its own connection), building the document, writing the
 * PDF and the XLSX, all in ms, the median of several rounds; beside the
 * baseline of reading the same responses' answers with one plain SELECT
 * and parsing each as JSON. Then the form engine on a definition of 100
 * questions: parse and check, validate, compute and score one set of
 * answers, beside a plain JSON parse of the same text.
 *
 * Prints `NAME VALUE UNIT` lines.
 */

#define ROUNDS 7
#define FORM_ROUNDS 51
#define N_FORM_QUESTIONS 100

static void
check (gboolean     ok,
       GError      *error)
{
  if (!ok)
    g_error ("%s", error != NULL ? error->message : "failed");
}

/* ---- the data ------------------------------------------------------------- */

typedef struct
{
  PdmRepository *repository;
  GRand         *rand;
  PdmForm       *pre_test;
  PdmForm       *post_test;
  PdmForm       *speaker_form;
  PdmForm       *organisation_form;
  GPtrArray     *kelurahan;  /* codes of the 24 */
  guint          n_volunteers;
} Builder;

static PdmForm *
load_form (const char *key)
{
  g_autofree char *path = g_strconcat (PDM_FORM_RESOURCE_PATH "/", key, ".json", NULL);
  g_autoptr(GError) error = NULL;
  PdmForm *form = pdm_form_new_from_resource (path, &error);

  check (form != NULL, error);
  return form;
}

static GPtrArray *
list_kelurahan (PdmDatabase *database)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (pdm_database_get_handle (database),
                      "SELECT code FROM region WHERE level = 'kelurahan' ORDER BY code", -1,
                      &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (codes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return codes;
}

/* Each item right with probability @ability. */
static JsonObject *
test_answers (Builder *builder,
              PdmForm *form,
              double   ability)
{
  JsonObject *answers = json_object_new ();

  for (guint i = 0; i < pdm_form_get_n_questions (form); i++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, i);
      const PdmFormOption *options;
      const char *key;
      guint n_options;

      if (!pdm_form_question_is_scored (question))
        continue;
      options = pdm_form_question_get_options (question, &n_options);
      key = json_node_get_string (pdm_form_question_get_correct (question));
      json_object_set_string_member (answers, pdm_form_question_get_id (question),
                                     g_rand_double (builder->rand) < ability
                                     ? key
                                     : options[g_rand_int_range (builder->rand, 0,
                                                                 (gint32) n_options)].value);
    }

  return answers;
}

static JsonObject *
rating_answers (Builder *builder,
                PdmForm *form)
{
  JsonObject *answers = json_object_new ();

  for (guint i = 0; i < pdm_form_get_n_questions (form); i++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, i);
      const char *id = pdm_form_question_get_id (question);

      if (pdm_form_question_get_question_type (question) == PDM_QUESTION_LIKERT)
        json_object_set_int_member (answers, id, g_rand_int_range (builder->rand, 2, 5));
      else if (pdm_form_question_get_question_type (question) == PDM_QUESTION_LONG_TEXT &&
               g_rand_int_range (builder->rand, 0, 5) == 0)
        json_object_set_string_member (answers, id, "Waktu diskusi perlu ditambah.");
    }

  return answers;
}

static void
submit (Builder    *builder,
        PdmForm    *form,
        const char *training_id,
        const char *participant_id,
        const char *session_id,
        JsonObject *answers)
{
  g_autoptr(PdmRecord) response = pdm_record_new (PDM_TABLE_RESPONSE);
  g_autoptr(JsonObject) owned = answers;
  g_autoptr(JsonObject) computed = pdm_form_compute (form, answers);
  g_autofree char *form_id = pdm_training_form_id (pdm_form_get_id (form),
                                                   pdm_form_get_version (form));
  g_autofree char *text = pdm_form_answers_to_string (computed);
  g_autoptr(GError) error = NULL;
  double score, max;

  pdm_record_set (response, "form_id", form_id);
  pdm_record_set (response, "training_id", training_id);
  pdm_record_set (response, "participant_id", participant_id);
  pdm_record_set (response, "session_id", session_id);
  pdm_record_set (response, "answers", text);
  if (pdm_form_score (form, computed, &score, &max))
    {
      pdm_record_set_int (response, "score", (gint64) score);
      pdm_record_set_int (response, "max_score", (gint64) max);
    }
  check (pdm_training_submit_response (builder->repository, response, &error), error);
}

static void
save (Builder   *builder,
      PdmRecord *record)
{
  g_autoptr(GError) error = NULL;

  check (pdm_repository_insert (builder->repository, record, &error), error);
}

/* A training of @n_participants PSM and @n_sessions sessions, everyone
 * answering every form, in one transaction; returns its id. */
static char *
build_training (Builder *builder,
                guint    n_participants,
                guint    n_sessions)
{
  g_autoptr(PdmRecord) training = pdm_record_new (PDM_TABLE_TRAINING);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  check (pdm_repository_begin (builder->repository, &error), error);

  pdm_record_set (training, "title", "Pelatihan Dasar PSM Kota Bukittinggi");
  pdm_record_set (training, "start_date", "2025-11-24");
  pdm_record_set (training, "end_date", "2025-11-26");
  pdm_record_set (training, "venue", "Aula Balai Kota Bukittinggi");
  pdm_record_set (training, "organiser", "Dinas Sosial Kota Bukittinggi");
  save (builder, training);

  for (guint s = 0; s < n_sessions; s++)
    {
      g_autoptr(PdmRecord) session = pdm_record_new (PDM_TABLE_TRAINING_SESSION);
      g_autofree char *topic = g_strdup_printf ("Materi %u", s + 1);
      g_autofree char *date = g_strdup_printf ("2025-11-%02u", 24 + s % 3);

      pdm_record_set (session, "training_id", training->id);
      pdm_record_set (session, "topic", topic);
      pdm_record_set (session, "speaker", s % 2 == 0 ? "Dra. Yusnimar" : "Drs. Afrizal");
      pdm_record_set (session, "institution", s % 2 == 0 ? "BBPPKS Padang" : "IPSM");
      pdm_record_set (session, "session_date", date);
      pdm_record_set_int (session, "position", s + 1);
      save (builder, session);
      g_ptr_array_add (sessions, g_strdup (session->id));
    }

  for (guint i = 0; i < n_participants; i++)
    {
      g_autoptr(PdmRecord) volunteer = pdm_record_new (PDM_TABLE_VOLUNTEER);
      g_autoptr(PdmRecord) participant = NULL;
      g_autofree char *name = g_strdup_printf ("Peserta %05u", builder->n_volunteers++);
      double ability = 0.3 + 0.5 * g_rand_double (builder->rand);

      pdm_record_set (volunteer, "full_name", name);
      pdm_record_set (volunteer, "kelurahan_code",
                      g_ptr_array_index (builder->kelurahan, i % builder->kelurahan->len));
      save (builder, volunteer);
      participant = pdm_training_add_participant (builder->repository, training->id,
                                                  volunteer->id, &error);
      check (participant != NULL, error);

      submit (builder, builder->pre_test, training->id, participant->id, NULL,
              test_answers (builder, builder->pre_test, ability));
      submit (builder, builder->post_test, training->id, participant->id, NULL,
              test_answers (builder, builder->post_test, MIN (ability + 0.2, 1.0)));
      for (guint s = 0; s < n_sessions; s++)
        {
          gboolean present = g_rand_int_range (builder->rand, 0, 10) > 0;

          check (pdm_training_set_attendance (builder->repository,
                                              g_ptr_array_index (sessions, s), participant->id,
                                              present, &error),
                 error);
          submit (builder, builder->speaker_form, training->id, participant->id,
                  g_ptr_array_index (sessions, s), rating_answers (builder, builder->speaker_form));
        }
      submit (builder, builder->organisation_form, training->id, participant->id, NULL,
              rating_answers (builder, builder->organisation_form));
    }

  check (pdm_repository_commit (builder->repository, &error), error);

  return g_strdup (training->id);
}

/* ---- the report ----------------------------------------------------------- */

/* The least a report must do: read every answer and parse it. */
static double
bench_baseline (sqlite3    *db,
                const char *training_id,
                guint      *out_n_rows)
{
  double ms[ROUNDS];

  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      sqlite3_stmt *stmt = NULL;
      gint64 start = g_get_monotonic_time ();
      guint n_rows = 0;

      sqlite3_prepare_v2 (db, "SELECT answers FROM response WHERE training_id = ?1 AND deleted = 0",
                          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, training_id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(GError) error = NULL;

          check (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0),
                                             -1, &error),
                 error);
          n_rows++;
        }
      sqlite3_finalize (stmt);
      ms[r] = pdm_bench_ms_since (start);
      *out_n_rows = n_rows;
    }

  return pdm_bench_median (ms, ROUNDS);
}

typedef struct
{
  PdmTrainingReport *report;
  GError            *error;
  gboolean           done;
} AsyncResult;

static void
on_computed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncResult *async = user_data;

  async->report = pdm_training_report_compute_finish (PDM_DATABASE (source), result,
                                                      &async->error);
  async->done = TRUE;
}

static void
bench_report (PdmDatabase *database,
              const char  *name,
              const char  *training_id,
              const char  *dir)
{
  g_autofree char *pdf = g_build_filename (dir, "laporan.pdf", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "laporan.xlsx", NULL);
  g_autoptr(PdmTrainingReport) report = NULL;
  g_autoptr(PdmReportDoc) doc = NULL;
  double compute_ms[ROUNDS], async_ms[ROUNDS], doc_ms[ROUNDS], pdf_ms[ROUNDS], xlsx_ms[ROUNDS];
  guint n_rows = 0;
  double baseline;
  GStatBuf st;

  baseline = bench_baseline (pdm_database_get_handle (database), training_id, &n_rows);

  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(GError) error = NULL;
      AsyncResult async = { NULL, NULL, FALSE };
      gint64 start;

      g_clear_pointer (&report, pdm_training_report_unref);
      g_clear_pointer (&doc, pdm_report_doc_unref);

      start = g_get_monotonic_time ();
      report = pdm_training_report_compute (database, training_id, NULL, NULL, NULL, &error);
      compute_ms[r] = pdm_bench_ms_since (start);
      check (report != NULL, error);

      /* As the UI does it: a connection of its own in a worker thread, the
       * result back on the main context. */
      start = g_get_monotonic_time ();
      pdm_training_report_compute_async (database, training_id, NULL, NULL, NULL,
                                         on_computed_cb, &async);
      while (!async.done)
        g_main_context_iteration (NULL, TRUE);
      async_ms[r] = pdm_bench_ms_since (start);
      check (async.report != NULL, async.error);
      pdm_training_report_unref (async.report);

      start = g_get_monotonic_time ();
      doc = pdm_training_report_build_doc (report);
      doc_ms[r] = pdm_bench_ms_since (start);

      start = g_get_monotonic_time ();
      check (pdm_report_doc_write_pdf (doc, pdf, NULL, &error), error);
      pdf_ms[r] = pdm_bench_ms_since (start);

      start = g_get_monotonic_time ();
      check (pdm_report_doc_write_xlsx (doc, xlsx, &error), error);
      xlsx_ms[r] = pdm_bench_ms_since (start);
    }

  g_print ("%s_responses %u count\n", name, n_rows);
  g_print ("%s_participants %u count\n", name,
           pdm_training_report_get_summary (report)->n_participants);
  g_print ("%s_baseline_select_parse %.2f ms\n", name, baseline);
  g_print ("%s_compute %.2f ms\n", name, pdm_bench_median (compute_ms, ROUNDS));
  g_print ("%s_compute_async %.2f ms\n", name, pdm_bench_median (async_ms, ROUNDS));
  g_print ("%s_build_doc %.2f ms\n", name, pdm_bench_median (doc_ms, ROUNDS));
  g_print ("%s_write_pdf %.2f ms\n", name, pdm_bench_median (pdf_ms, ROUNDS));
  g_print ("%s_write_xlsx %.2f ms\n", name, pdm_bench_median (xlsx_ms, ROUNDS));
  if (g_stat (pdf, &st) == 0)
    g_print ("%s_pdf_size %.1f KiB\n", name, st.st_size / 1024.0);
  if (g_stat (xlsx, &st) == 0)
    g_print ("%s_xlsx_size %.1f KiB\n", name, st.st_size / 1024.0);

  /* For a look at the result: PDM_BENCH_KEEP=folder (no quote in its name). */
  if (g_getenv ("PDM_BENCH_KEEP") != NULL)
    {
      g_autofree char *kept_pdf = g_strdup_printf ("%s/%s.pdf", g_getenv ("PDM_BENCH_KEEP"), name);
      g_autofree char *kept_xlsx = g_strdup_printf ("%s/%s.xlsx", g_getenv ("PDM_BENCH_KEEP"),
                                                    name);

      g_rename (pdf, kept_pdf);
      g_rename (xlsx, kept_xlsx);
    }
  g_remove (pdf);
  g_remove (xlsx);
}

/* ---- a form of 100 questions ---------------------------------------------- */

/* Five kinds of question in turn: a scored choice, a rating, a number
 * asked only once the choice before it is answered, a scored yes/no, and a
 * sum calculated from the rating and the number before it. */
static char *
make_form_json (void)
{
  GString *json = g_string_new (NULL);

  g_string_append (json,
                   "{ \"id\": \"bench-form\", \"version\": 1, \"title\": \"Uji 100 soal\", "
                   "\"kind\": \"test\", \"pass_threshold\": 70, "
                   "\"scales\": { \"penilaian\": [ { \"value\": 4, \"label\": \"Sangat Baik\" }, "
                   "{ \"value\": 3, \"label\": \"Baik\" }, { \"value\": 2, \"label\": \"Cukup\" }, "
                   "{ \"value\": 1, \"label\": \"Kurang\" } ] }, \"sections\": [");
  for (guint s = 0; s < N_FORM_QUESTIONS / 10; s++)
    {
      g_string_append_printf (json, "%s{ \"id\": \"s%u\", \"title\": \"Bagian %u\", "
                              "\"questions\": [", s > 0 ? ", " : "", s, s + 1);
      for (guint k = 0; k < 10; k++)
        {
          guint q = s * 10 + k;

          g_string_append_printf (json, "%s{ \"id\": \"q%03u\", \"label\": \"Soal %u\", ",
                                  k > 0 ? ", " : "", q, q + 1);
          switch (q % 5)
            {
            case 0:
              g_string_append (json,
                               "\"type\": \"single_choice\", \"required\": true, \"options\": ["
                               "{ \"value\": \"a\", \"label\": \"A\" }, "
                               "{ \"value\": \"b\", \"label\": \"B\" }, "
                               "{ \"value\": \"c\", \"label\": \"C\" }, "
                               "{ \"value\": \"d\", \"label\": \"D\" } ], \"correct\": \"b\" }");
              break;
            case 1:
              g_string_append (json, "\"type\": \"likert\", \"scale\": \"penilaian\" }");
              break;
            case 2:
              g_string_append_printf (json,
                                      "\"type\": \"number\", \"min\": 0, \"max\": 100, "
                                      "\"integer\": true, \"constraint\": \". >= 1\", "
                                      "\"relevant\": \"not empty(${q%03u})\" }",
                                      q - 2);
              break;
            case 3:
              g_string_append (json, "\"type\": \"yes_no\", \"correct\": true }");
              break;
            default:
              g_string_append_printf (json,
                                      "\"type\": \"number\", "
                                      "\"calculate\": \"sum(${q%03u}, ${q%03u})\" }",
                                      q - 3, q - 2);
              break;
            }
        }
      g_string_append (json, "] }");
    }
  g_string_append (json, "] }");

  return g_string_free (json, FALSE);
}

static JsonObject *
make_form_answers (void)
{
  JsonObject *answers = json_object_new ();

  for (guint q = 0; q < N_FORM_QUESTIONS; q++)
    {
      g_autofree char *id = g_strdup_printf ("q%03u", q);

      switch (q % 5)
        {
        case 0:
          json_object_set_string_member (answers, id, q % 3 == 0 ? "b" : "a");
          break;
        case 1:
          json_object_set_int_member (answers, id, 1 + q % 4);
          break;
        case 2:
          json_object_set_int_member (answers, id, 10 + q);
          break;
        case 3:
          json_object_set_boolean_member (answers, id, q % 2 == 1);
          break;
        default:
          break;
        }
    }

  return answers;
}

static void
bench_form (void)
{
  g_autofree char *json = make_form_json ();
  g_autoptr(JsonObject) answers = make_form_answers ();
  double parse_ms[FORM_ROUNDS], baseline_ms[FORM_ROUNDS], validate_ms[FORM_ROUNDS];
  double compute_ms[FORM_ROUNDS], score_ms[FORM_ROUNDS];
  double score = 0, max = 0;

  for (guint r = 0; r < FORM_ROUNDS; r++)
    {
      g_autoptr(PdmForm) form = NULL;
      g_autoptr(JsonNode) plain = NULL;
      g_autoptr(JsonObject) computed = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;

      start = g_get_monotonic_time ();
      plain = json_from_string (json, &error);
      baseline_ms[r] = pdm_bench_ms_since (start);
      check (plain != NULL, error);

      start = g_get_monotonic_time ();
      form = pdm_form_new_from_string (json, -1, &error);
      parse_ms[r] = pdm_bench_ms_since (start);
      check (form != NULL, error);

      start = g_get_monotonic_time ();
      pdm_form_validate_answers (form, answers, &problems);
      validate_ms[r] = pdm_bench_ms_since (start);

      start = g_get_monotonic_time ();
      computed = pdm_form_compute (form, answers);
      compute_ms[r] = pdm_bench_ms_since (start);

      start = g_get_monotonic_time ();
      pdm_form_score (form, computed, &score, &max);
      score_ms[r] = pdm_bench_ms_since (start);
    }

  g_print ("form100_json_bytes %" G_GSIZE_FORMAT " bytes\n", strlen (json));
  g_print ("form100_baseline_json_parse %.3f ms\n", pdm_bench_median (baseline_ms, FORM_ROUNDS));
  g_print ("form100_parse_check %.3f ms\n", pdm_bench_median (parse_ms, FORM_ROUNDS));
  g_print ("form100_validate %.3f ms\n", pdm_bench_median (validate_ms, FORM_ROUNDS));
  g_print ("form100_compute %.3f ms\n", pdm_bench_median (compute_ms, FORM_ROUNDS));
  g_print ("form100_score %.3f ms\n", pdm_bench_median (score_ms, FORM_ROUNDS));
  g_print ("form100_score_value %.0f/%.0f points\n", score, max);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(PdmRepository) repository = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *training_a = NULL;
  g_autofree char *training_b = NULL;
  Builder builder = { 0, };
  gint64 start;

  dir = g_dir_make_tmp ("pendamping-report-bench-XXXXXX", &error);
  check (dir != NULL, error);
  path = g_build_filename (dir, "pendamping.db", NULL);
  database = pdm_database_open (path, &error);
  check (database != NULL, error);
  repository = pdm_repository_new (database, &error);
  check (repository != NULL, error);

  builder.repository = repository;
  builder.rand = g_rand_new_with_seed (20251124);
  builder.pre_test = load_form (PDM_TRAINING_REPORT_PRE_TEST);
  builder.post_test = load_form (PDM_TRAINING_REPORT_POST_TEST);
  builder.speaker_form = load_form ("speaker-evaluation");
  builder.organisation_form = load_form ("organisation-evaluation");
  builder.kelurahan = list_kelurahan (database);

  start = g_get_monotonic_time ();
  training_a = build_training (&builder, 135, 3);
  training_b = build_training (&builder, 2000, 2);
  g_print ("fill_time %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  bench_report (database, "report135", training_a, dir);
  bench_report (database, "report10k", training_b, dir);
  bench_form ();

  /* For a look at the data: PDM_BENCH_KEEP=folder. */
  if (g_getenv ("PDM_BENCH_KEEP") != NULL)
    {
      g_autofree char *kept = g_build_filename (g_getenv ("PDM_BENCH_KEEP"), "report-bench.db",
                                                NULL);
      g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", kept);

      g_remove (kept);
      sqlite3_exec (pdm_database_get_handle (database), sql, NULL, NULL, NULL);
    }

  g_rand_free (builder.rand);
  pdm_form_unref (builder.pre_test);
  pdm_form_unref (builder.post_test);
  pdm_form_unref (builder.speaker_form);
  pdm_form_unref (builder.organisation_form);
  g_ptr_array_unref (builder.kelurahan);
  g_clear_object (&repository);
  g_clear_object (&database);
  pdm_bench_remove_database (path);
  g_rmdir (dir);

  return 0;
}
