/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-training-report"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-report-pdf.h"
#include "pdm-rules.h"
#include "pdm-test-util.h"
#include "pdm-training-report.h"
#include "pdm-training.h"

/*
 * The report of a training whose answers are known: six PSM from three
 * kelurahan answer the shipped pre-test and post-test with the first n
 * items right (so every score and every item's share follows), evaluate
 * the two sessions' speakers and the organisation, and are marked present
 * or not. Among them: Budi with full marks in the pre-test (no normalized
 * gain), Citra without a post-test, Fajar who took the pre-test twice (the
 * later one, written in UTC, counts), Dedi whose post-test was stored
 * without a score, Gita, removed from the training with her answers, and a
 * third session deleted after Ani came to it and evaluated it.
 */

#define TRAINING_TITLE "Pelatihan Dasar PSM Angkatan I"

#define KEL_TAROK_DIPO   "13.75.01.1001"
#define KEL_CAMPAGO_IPUH "13.75.02.1002"
#define KEL_BIRUGO       "13.75.03.1002"

#define N_SESSIONS 2
#define NOT_TAKEN  -1

/* A test's answers: items 1..first right, and item extra (if not 0). */
typedef struct
{
  int   first;
  guint extra;
} Sheet;

static const struct
{
  const char *name;
  const char *kelurahan;
  Sheet       pre;
  Sheet       post;
  gboolean    present[N_SESSIONS];
} psm[] = {
  { "Ani Rahmawati", KEL_CAMPAGO_IPUH, { 10, 0 }, { 16, 0 }, { TRUE, TRUE } },
  { "Budi Santoso", KEL_CAMPAGO_IPUH, { 20, 0 }, { 18, 0 }, { TRUE, TRUE } },
  { "Citra Lestari", KEL_TAROK_DIPO, { 12, 0 }, { NOT_TAKEN, 0 }, { TRUE, FALSE } },
  { "Dedi Kurniawan", KEL_TAROK_DIPO, { 8, 0 }, { 18, 0 }, { TRUE, TRUE } },
  { "Eka Putri", KEL_BIRUGO, { 14, 0 }, { 12, 0 }, { TRUE, FALSE } },
  { "Fajar Hidayat", KEL_BIRUGO, { 6, 0 }, { 8, 20 }, { FALSE, TRUE } },
  /* Removed from the training before the report. */
  { "Gita Permata", KEL_BIRUGO, { 20, 0 }, { 20, 0 }, { TRUE, TRUE } },
};

enum { ANI, BUDI, CITRA, DEDI, EKA, FAJAR, GITA, N_PSM };

typedef struct
{
  PdmTestReplica replica;
  char          *training_id;
  char          *sessions[N_SESSIONS];
  char          *participants[N_PSM];
  PdmForm       *pre_test;
  PdmForm       *post_test;
  PdmForm       *speaker_form;
  PdmForm       *organisation_form;
  guint          n_submitted;
} Fixture;

static PdmForm *
load_form (const char *key)
{
  g_autofree char *path = g_strconcat (PDM_FORM_RESOURCE_PATH "/", key, ".json", NULL);
  g_autoptr(GError) error = NULL;
  PdmForm *form = pdm_form_new_from_resource (path, &error);

  g_assert_no_error (error);
  return form;
}

static void
save (Fixture   *fixture,
      PdmRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_rules_save (fixture->replica.repository, record, NULL, NULL, &error));
  g_assert_no_error (error);
}

static JsonObject *
test_answers (PdmForm *form,
              Sheet    sheet)
{
  JsonObject *answers = json_object_new ();
  guint number = 0;

  for (guint i = 0; i < pdm_form_get_n_questions (form); i++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, i);
      const char *key;
      const PdmFormOption *options;
      guint n_options;

      if (!pdm_form_question_is_scored (question))
        continue;
      number++;

      key = json_node_get_string (pdm_form_question_get_correct (question));
      options = pdm_form_question_get_options (question, &n_options);
      if ((int) number <= sheet.first || number == sheet.extra)
        json_object_set_string_member (answers, pdm_form_question_get_id (question), key);
      else
        json_object_set_string_member (answers, pdm_form_question_get_id (question),
                                       g_str_equal (options[0].value, key) ? options[1].value
                                                                           : options[0].value);
    }

  return answers;
}

/* The first criterion rated @first, the others @rest, and the suggestion. */
static JsonObject *
rating_answers (PdmForm    *form,
                int         first,
                int         rest,
                const char *suggestion)
{
  JsonObject *answers = json_object_new ();
  gboolean first_done = FALSE;

  for (guint i = 0; i < pdm_form_get_n_questions (form); i++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, i);
      const char *id = pdm_form_question_get_id (question);

      switch (pdm_form_question_get_question_type (question))
        {
        case PDM_QUESTION_LIKERT:
          json_object_set_int_member (answers, id, first_done ? rest : first);
          first_done = TRUE;
          break;
        case PDM_QUESTION_LONG_TEXT:
          if (suggestion != NULL)
            json_object_set_string_member (answers, id, suggestion);
          break;
        default:
          break;
        }
    }

  return answers;
}

/* Submits @answers (taken) as the UI does, with the score the form engine
 * gives unless @with_score is FALSE; @submitted_at NULL for the next
 * minute of the fixture's clock. */
static void
submit (Fixture    *fixture,
        PdmForm    *form,
        guint       who,
        const char *session_id,
        JsonObject *answers,
        gboolean    with_score,
        const char *submitted_at)
{
  g_autoptr(PdmRecord) response = pdm_record_new (PDM_TABLE_RESPONSE);
  g_autoptr(JsonObject) owned = answers;
  g_autofree char *form_id = pdm_training_form_id (pdm_form_get_id (form),
                                                   pdm_form_get_version (form));
  g_autofree char *text = pdm_form_answers_to_string (answers);
  g_autofree char *time = NULL;
  g_autoptr(GError) error = NULL;
  double score, max;

  if (submitted_at == NULL)
    submitted_at = time = g_strdup_printf ("2025-11-26T10:%02u:00+07:00", fixture->n_submitted++);

  pdm_record_set (response, "form_id", form_id);
  pdm_record_set (response, "training_id", fixture->training_id);
  pdm_record_set (response, "participant_id", who < N_PSM ? fixture->participants[who] : NULL);
  pdm_record_set (response, "session_id", session_id);
  pdm_record_set (response, "answers", text);
  pdm_record_set (response, "submitted_at", submitted_at);
  if (with_score && pdm_form_score (form, answers, &score, &max))
    {
      pdm_record_set_int (response, "score", (gint64) score);
      pdm_record_set_int (response, "max_score", (gint64) max);
    }

  g_assert_true (pdm_training_submit_response (fixture->replica.repository, response, &error));
  g_assert_no_error (error);
}

static void
add_people (Fixture *fixture)
{
  PdmRepository *repository = fixture->replica.repository;

  for (guint i = 0; i < N_PSM; i++)
    {
      g_autoptr(PdmRecord) volunteer = pdm_record_new (PDM_TABLE_VOLUNTEER);
      g_autoptr(PdmRecord) participant = NULL;
      g_autoptr(GError) error = NULL;

      pdm_record_set (volunteer, "full_name", psm[i].name);
      pdm_record_set (volunteer, "kelurahan_code", psm[i].kelurahan);
      g_assert_true (pdm_repository_insert (repository, volunteer, &error));
      participant = pdm_training_add_participant (repository, fixture->training_id,
                                                  volunteer->id, &error);
      g_assert_no_error (error);
      fixture->participants[i] = g_strdup (participant->id);

      for (guint s = 0; s < N_SESSIONS; s++)
        {
          /* An absent mark for Fajar's first session: only "present" counts. */
          if (!psm[i].present[s] && i != FAJAR)
            continue;
          g_assert_true (pdm_training_set_attendance (repository, fixture->sessions[s],
                                                      fixture->participants[i],
                                                      psm[i].present[s], &error));
          g_assert_no_error (error);
        }
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const struct { const char *topic, *speaker, *institution, *date; } sessions[] = {
    { "Kebijakan Kementerian Sosial", "Dra. Yusnimar", "BBPPKS Padang", "2025-11-24" },
    { "Peran dan tugas PSM", "Drs. Afrizal", "IPSM Kota Bukittinggi", "2025-11-25" },
  };
  g_autoptr(PdmRecord) training = pdm_record_new (PDM_TABLE_TRAINING);
  g_autoptr(PdmRecord) cancelled = pdm_record_new (PDM_TABLE_TRAINING_SESSION);
  g_autoptr(GError) error = NULL;

  pdm_test_replica_set_up (&fixture->replica, data);
  fixture->pre_test = load_form (PDM_TRAINING_REPORT_PRE_TEST);
  fixture->post_test = load_form (PDM_TRAINING_REPORT_POST_TEST);
  fixture->speaker_form = load_form ("speaker-evaluation");
  fixture->organisation_form = load_form ("organisation-evaluation");

  pdm_record_set (training, "title", TRAINING_TITLE);
  pdm_record_set (training, "start_date", "2025-11-24");
  pdm_record_set (training, "end_date", "2025-11-26");
  pdm_record_set (training, "venue", "Aula Balai Kota Bukittinggi");
  pdm_record_set (training, "organiser", "Dinas Sosial Kota Bukittinggi");
  save (fixture, training);
  fixture->training_id = g_strdup (training->id);

  for (guint s = 0; s < N_SESSIONS; s++)
    {
      g_autoptr(PdmRecord) session = pdm_record_new (PDM_TABLE_TRAINING_SESSION);

      pdm_record_set (session, "training_id", fixture->training_id);
      pdm_record_set (session, "topic", sessions[s].topic);
      pdm_record_set (session, "speaker", sessions[s].speaker);
      pdm_record_set (session, "institution", sessions[s].institution);
      pdm_record_set (session, "session_date", sessions[s].date);
      pdm_record_set_int (session, "position", s + 1);
      save (fixture, session);
      fixture->sessions[s] = g_strdup (session->id);
    }

  add_people (fixture);

  for (guint i = 0; i < N_PSM; i++)
    {
      /* Fajar's earlier pre-test, at 08:30 in Bukittinggi, before the one
       * that counts: 02:00 UTC is 09:00 there. */
      if (i == FAJAR)
        submit (fixture, fixture->pre_test, i, NULL,
                test_answers (fixture->pre_test, (Sheet) { 5, 0 }), TRUE,
                "2025-11-24T08:30:00+07:00");
      submit (fixture, fixture->pre_test, i, NULL, test_answers (fixture->pre_test, psm[i].pre),
              TRUE, i == FAJAR ? "2025-11-24T02:00:00Z" : NULL);
      if (psm[i].post.first != NOT_TAKEN)
        submit (fixture, fixture->post_test, i, NULL,
                test_answers (fixture->post_test, psm[i].post), i != DEDI, NULL);
    }

  /* Session 1: three sheets; one suggestion, one blank. */
  submit (fixture, fixture->speaker_form, ANI, fixture->sessions[0],
          rating_answers (fixture->speaker_form, 4, 4, "Materi sangat jelas."), TRUE, NULL);
  submit (fixture, fixture->speaker_form, BUDI, fixture->sessions[0],
          rating_answers (fixture->speaker_form, 3, 3, "   "), TRUE, NULL);
  submit (fixture, fixture->speaker_form, CITRA, fixture->sessions[0],
          rating_answers (fixture->speaker_form, 4, 2, NULL), TRUE, NULL);
  /* Session 2: Dedi changed his mind; the later sheet counts. */
  submit (fixture, fixture->speaker_form, DEDI, fixture->sessions[1],
          rating_answers (fixture->speaker_form, 4, 4, "Bagus sekali."), TRUE,
          "2025-11-25T15:00:00+07:00");
  submit (fixture, fixture->speaker_form, DEDI, fixture->sessions[1],
          rating_answers (fixture->speaker_form, 1, 1, "Waktu terlalu singkat."), TRUE,
          "2025-11-25T15:30:00+07:00");
  submit (fixture, fixture->speaker_form, FAJAR, fixture->sessions[1],
          rating_answers (fixture->speaker_form, 2, 2, NULL), TRUE, NULL);
  /* The organisation: two participants and one anonymous sheet. */
  submit (fixture, fixture->organisation_form, ANI, NULL,
          rating_answers (fixture->organisation_form, 4, 4, "Konsumsi perlu ditambah."), TRUE,
          NULL);
  submit (fixture, fixture->organisation_form, EKA, NULL,
          rating_answers (fixture->organisation_form, 3, 3, "Ruangan terlalu panas."), TRUE, NULL);
  submit (fixture, fixture->organisation_form, N_PSM, NULL,
          rating_answers (fixture->organisation_form, 2, 2, NULL), TRUE, NULL);
  submit (fixture, fixture->organisation_form, GITA, NULL,
          rating_answers (fixture->organisation_form, 1, 1, "Tidak dihitung."), TRUE, NULL);

  g_assert_true (pdm_training_remove_participant (fixture->replica.repository,
                                                  fixture->participants[GITA], &error));
  g_assert_no_error (error);

  /* A session cancelled after Ani came and evaluated it: it leaves the
   * report, her presence and her evaluation with it. */
  pdm_record_set (cancelled, "training_id", fixture->training_id);
  pdm_record_set (cancelled, "topic", "Diskusi kelompok");
  pdm_record_set (cancelled, "speaker", "Panitia");
  pdm_record_set_int (cancelled, "position", 3);
  save (fixture, cancelled);
  g_assert_true (pdm_training_set_attendance (fixture->replica.repository, cancelled->id,
                                              fixture->participants[ANI], TRUE, &error));
  submit (fixture, fixture->speaker_form, ANI, cancelled->id,
          rating_answers (fixture->speaker_form, 1, 1, "Tidak dihitung."), TRUE, NULL);
  g_assert_true (pdm_repository_delete (fixture->replica.repository, PDM_TABLE_TRAINING_SESSION,
                                        cancelled->id, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pdm_test_replica_tear_down (&fixture->replica, data);
  g_free (fixture->training_id);
  for (guint s = 0; s < N_SESSIONS; s++)
    g_free (fixture->sessions[s]);
  for (guint i = 0; i < N_PSM; i++)
    g_free (fixture->participants[i]);
  pdm_form_unref (fixture->pre_test);
  pdm_form_unref (fixture->post_test);
  pdm_form_unref (fixture->speaker_form);
  pdm_form_unref (fixture->organisation_form);
}

static PdmTrainingReport *
compute (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PdmTrainingReport *report;

  report = pdm_training_report_compute (fixture->replica.database, fixture->training_id, NULL,
                                        NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

#define assert_near(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-6)

/* --- the figures ------------------------------------------------------- */

static void
test_participants (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  GPtrArray *participants = pdm_training_report_get_participants (report);
  static const struct
  {
    double pre, post, max, gain, normalized;
    PdmGainCategory category;
    PdmTrainingTestResult pre_result, post_result;
    guint attended;
  } expected[] = {
    [ANI] = { 10, 16, 20, 30, 0.6, PDM_GAIN_MEDIUM,
              PDM_TRAINING_TEST_FAILED, PDM_TRAINING_TEST_PASSED, 2 },
    [BUDI] = { 20, 18, 20, -10, NAN, PDM_GAIN_UNDEFINED,
               PDM_TRAINING_TEST_PASSED, PDM_TRAINING_TEST_PASSED, 2 },
    [CITRA] = { 12, NAN, 20, NAN, NAN, PDM_GAIN_UNDEFINED,
                PDM_TRAINING_TEST_FAILED, PDM_TRAINING_TEST_NOT_TAKEN, 1 },
    [DEDI] = { 8, 18, 20, 50, 50.0 / 60, PDM_GAIN_HIGH,
               PDM_TRAINING_TEST_FAILED, PDM_TRAINING_TEST_PASSED, 2 },
    [EKA] = { 14, 12, 20, -10, -10.0 / 30, PDM_GAIN_LOSS,
              PDM_TRAINING_TEST_PASSED, PDM_TRAINING_TEST_FAILED, 1 },
    [FAJAR] = { 6, 9, 20, 15, 15.0 / 70, PDM_GAIN_LOW,
                PDM_TRAINING_TEST_FAILED, PDM_TRAINING_TEST_FAILED, 1 },
  };

  /* Gita was removed: she and her answers are gone. */
  g_assert_cmpuint (participants->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < participants->len; i++)
    {
      PdmTrainingReportParticipant *participant = g_ptr_array_index (participants, i);

      /* By name. */
      g_assert_cmpstr (participant->full_name, ==, psm[i].name);
      g_assert_cmpstr (participant->participant_id, ==, fixture->participants[i]);
      g_assert_cmpstr (participant->kelurahan_code, ==, psm[i].kelurahan);
      assert_near (participant->pre_score, expected[i].pre);
      assert_near (participant->pre_max, expected[i].max);
      assert_near (participant->pre_percent, 100 * expected[i].pre / expected[i].max);
      if (isnan (expected[i].post))
        {
          g_assert_true (isnan (participant->post_score));
          g_assert_true (isnan (participant->post_percent));
          g_assert_true (isnan (participant->gain));
        }
      else
        {
          assert_near (participant->post_score, expected[i].post);
          assert_near (participant->post_percent, 100 * expected[i].post / expected[i].max);
          assert_near (participant->gain, expected[i].gain);
        }
      if (isnan (expected[i].normalized))
        g_assert_true (isnan (participant->normalized_gain));
      else
        assert_near (participant->normalized_gain, expected[i].normalized);
      g_assert_cmpint (participant->gain_category, ==, expected[i].category);
      g_assert_cmpint (participant->pre_result, ==, expected[i].pre_result);
      g_assert_cmpint (participant->post_result, ==, expected[i].post_result);
      g_assert_cmpuint (participant->n_sessions_attended, ==, expected[i].attended);
    }

  g_assert_cmpstr (((PdmTrainingReportParticipant *) g_ptr_array_index (participants, CITRA))
                   ->kelurahan_name, ==, "Tarok Dipo");
}

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  const PdmTrainingReportSummary *summary = pdm_training_report_get_summary (report);

  g_assert_cmpuint (summary->n_participants, ==, 6);
  g_assert_cmpuint (summary->n_pre, ==, 6);
  g_assert_cmpuint (summary->n_post, ==, 5);
  g_assert_cmpuint (summary->n_both, ==, 5);
  assert_near (summary->mean_pre_percent, (50.0 + 100 + 60 + 40 + 70 + 30) / 6);
  assert_near (summary->mean_post_percent, (80.0 + 90 + 90 + 60 + 45) / 5);
  assert_near (summary->mean_gain, (30.0 - 10 + 50 - 10 + 15) / 5);
  /* Budi's undefined gain is left out of the mean, not taken as 0. */
  g_assert_cmpuint (summary->n_normalized_gain, ==, 4);
  assert_near (summary->mean_normalized_gain, (0.6 + 50.0 / 60 - 10.0 / 30 + 15.0 / 70) / 4);
  /* ⟨g⟩ of the means of the five who took both: 58 and 73. */
  assert_near (summary->class_normalized_gain, 15.0 / 42);
  g_assert_cmpuint (summary->n_gain_category[PDM_GAIN_HIGH], ==, 1);
  g_assert_cmpuint (summary->n_gain_category[PDM_GAIN_MEDIUM], ==, 1);
  g_assert_cmpuint (summary->n_gain_category[PDM_GAIN_LOW], ==, 1);
  g_assert_cmpuint (summary->n_gain_category[PDM_GAIN_LOSS], ==, 1);
  g_assert_cmpuint (summary->n_gain_category[PDM_GAIN_UNDEFINED], ==, 1);
  assert_near (summary->pre_pass_threshold, 70);
  assert_near (summary->post_pass_threshold, 70);
  /* 70% passes a threshold of 70 (Eka's pre-test). */
  g_assert_cmpuint (summary->n_pre_passed, ==, 2);
  g_assert_cmpuint (summary->n_post_passed, ==, 3);
  g_assert_cmpuint (summary->n_unreadable, ==, 0);
}

static void
test_items (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  GPtrArray *items = pdm_training_report_get_items (report);
  static const struct
  {
    guint               number;
    guint               pre_right, post_right;
    PdmTrainingItemFlag flag;
  } expected[] = {
    { 1, 6, 5, PDM_TRAINING_ITEM_TOO_EASY },
    /* Fajar's later pre-test has item 6 right, his earlier one not. */
    { 6, 6, 5, PDM_TRAINING_ITEM_TOO_EASY },
    { 9, 4, 4, PDM_TRAINING_ITEM_OK },
    { 13, 2, 3, PDM_TRAINING_ITEM_OK },
    { 19, 1, 0, PDM_TRAINING_ITEM_DECLINE },
    { 20, 1, 1, PDM_TRAINING_ITEM_TOO_HARD },
  };
  PdmTrainingReportItem *item;

  g_assert_cmpuint (items->len, ==, 20);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->question_id, ==, "q01");
  g_assert_cmpstr (item->label, ==,
                   pdm_form_question_get_label (pdm_form_lookup_question (fixture->pre_test,
                                                                          "q01")));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      item = g_ptr_array_index (items, expected[i].number - 1);
      g_test_message ("item %u", expected[i].number);
      g_assert_cmpuint (item->n_pre, ==, 6);
      g_assert_cmpuint (item->n_post, ==, 5);
      g_assert_cmpuint (item->n_pre_correct, ==, expected[i].pre_right);
      g_assert_cmpuint (item->n_post_correct, ==, expected[i].post_right);
      assert_near (item->pre_percent, 100.0 * expected[i].pre_right / 6);
      assert_near (item->post_percent, 100.0 * expected[i].post_right / 5);
      assert_near (item->difference, item->post_percent - item->pre_percent);
      g_assert_cmpint (item->flag, ==, expected[i].flag);
    }
}

static PdmTrainingReportCriterion *
criterion_at (const PdmTrainingReportEvaluation *evaluation,
              guint                              index)
{
  return g_ptr_array_index (evaluation->criteria, index);
}

/* The counts of the points 4, 3, 2, 1 (Sangat Baik … Kurang). */
static void
assert_counts (const PdmTrainingReportCriterion *criterion,
               guint                             n4,
               guint                             n3,
               guint                             n2,
               guint                             n1)
{
  const guint expected[] = { n4, n3, n2, n1 };

  g_assert_cmpuint (criterion->points->len, ==, 4);
  for (guint p = 0; p < 4; p++)
    {
      PdmTrainingReportPoint *point = &g_array_index (criterion->points, PdmTrainingReportPoint, p);

      assert_near (point->value, 4 - p);
      g_assert_cmpuint (point->count, ==, expected[p]);
    }
  g_assert_cmpstr (g_array_index (criterion->points, PdmTrainingReportPoint, 0).label, ==,
                   "Sangat Baik");
}

static void
test_evaluations (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  GPtrArray *evaluations = pdm_training_report_get_evaluations (report);
  GPtrArray *sessions = pdm_training_report_get_sessions (report);
  PdmTrainingReportEvaluation *evaluation;
  PdmTrainingReportCriterion *criterion;

  g_assert_cmpuint (sessions->len, ==, N_SESSIONS);
  g_assert_cmpuint (evaluations->len, ==, 3);

  /* Session 1: criterion 1 rated 4, 3, 4; the others 4, 3, 2. */
  evaluation = g_ptr_array_index (evaluations, 0);
  g_assert_true (evaluation->session == g_ptr_array_index (sessions, 0));
  g_assert_cmpstr (evaluation->session->speaker, ==, "Dra. Yusnimar");
  g_assert_cmpstr (evaluation->form_key, ==, "speaker-evaluation");
  g_assert_cmpuint (evaluation->n_responses, ==, 3);
  g_assert_cmpuint (evaluation->criteria->len, ==, 6);
  criterion = criterion_at (evaluation, 0);
  g_assert_cmpstr (criterion->question_id, ==, "penguasaan_materi");
  g_assert_cmpstr (criterion->label, ==, "Penguasaan materi");
  g_assert_cmpuint (criterion->n_answers, ==, 3);
  assert_near (criterion->mean, 11.0 / 3);
  assert_counts (criterion, 2, 1, 0, 0);
  criterion = criterion_at (evaluation, 5);
  assert_near (criterion->mean, 3);
  assert_counts (criterion, 1, 1, 1, 0);
  assert_near (evaluation->mean, (11.0 + 5 * 9) / 18);
  assert_near (evaluation->scale_max, 4);
  /* Budi's blank suggestion is none. */
  g_assert_cmpuint (evaluation->suggestions->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (evaluation->suggestions, 0), ==, "Materi sangat jelas.");

  /* Session 2: Dedi's later sheet (all Kurang) and Fajar's (all Cukup). */
  evaluation = g_ptr_array_index (evaluations, 1);
  g_assert_true (evaluation->session == g_ptr_array_index (sessions, 1));
  g_assert_cmpuint (evaluation->n_responses, ==, 2);
  criterion = criterion_at (evaluation, 3);
  assert_near (criterion->mean, 1.5);
  assert_counts (criterion, 0, 0, 1, 1);
  assert_near (evaluation->mean, 1.5);
  g_assert_cmpuint (evaluation->suggestions->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (evaluation->suggestions, 0), ==, "Waktu terlalu singkat.");

  /* The organisation: Ani, Eka and an anonymous sheet; not Gita's. */
  evaluation = g_ptr_array_index (evaluations, 2);
  g_assert_null (evaluation->session);
  g_assert_cmpstr (evaluation->form_key, ==, "organisation-evaluation");
  g_assert_cmpstr (evaluation->form_title, ==, "Evaluasi Penyelenggaraan Pelatihan");
  g_assert_cmpuint (evaluation->n_responses, ==, 3);
  criterion = criterion_at (evaluation, 2);
  g_assert_cmpstr (criterion->label, ==, "Konsumsi");
  assert_near (criterion->mean, 3);
  assert_counts (criterion, 1, 1, 1, 0);
  assert_near (evaluation->mean, 3);
  /* In the order submitted. */
  g_assert_cmpuint (evaluation->suggestions->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (evaluation->suggestions, 0), ==, "Konsumsi perlu ditambah.");
  g_assert_cmpstr (g_ptr_array_index (evaluation->suggestions, 1), ==, "Ruangan terlalu panas.");
}

static PdmTrainingReportKelurahan *
find_kelurahan (GPtrArray  *kelurahan,
                const char *code)
{
  for (guint k = 0; k < kelurahan->len; k++)
    {
      PdmTrainingReportKelurahan *row = g_ptr_array_index (kelurahan, k);

      if (g_strcmp0 (row->code, code) == 0)
        return row;
    }

  g_error ("No row for %s", code);
}

static void
assert_kelurahan (PdmTrainingReportKelurahan *row,
                  const char                 *name,
                  guint                       n_participants,
                  guint                       n_all,
                  guint                       n_any,
                  guint                       present_1,
                  guint                       present_2)
{
  g_assert_cmpstr (row->name, ==, name);
  g_assert_cmpuint (row->n_participants, ==, n_participants);
  g_assert_cmpuint (row->n_all_sessions, ==, n_all);
  g_assert_cmpuint (row->n_any_session, ==, n_any);
  g_assert_cmpuint (row->present[0], ==, present_1);
  g_assert_cmpuint (row->present[1], ==, present_2);
}

static void
test_kelurahan (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  GPtrArray *kelurahan = pdm_training_report_get_kelurahan (report);
  GPtrArray *sessions = pdm_training_report_get_sessions (report);
  guint n_empty = 0;

  /* The city's 24, and no row of others: every participant's is known. */
  g_assert_cmpuint (kelurahan->len, ==, 24);
  g_assert_cmpstr (((PdmTrainingReportKelurahan *) g_ptr_array_index (kelurahan, 0))->code, ==,
                   KEL_TAROK_DIPO);

  assert_kelurahan (find_kelurahan (kelurahan, KEL_CAMPAGO_IPUH), "Campago Ipuh", 2, 2, 2, 2, 2);
  assert_kelurahan (find_kelurahan (kelurahan, KEL_TAROK_DIPO), "Tarok Dipo", 2, 1, 2, 2, 1);
  /* Gita's removal leaves Birugo with two; Fajar's absent mark is no presence. */
  assert_kelurahan (find_kelurahan (kelurahan, KEL_BIRUGO), "Birugo", 2, 0, 2, 1, 1);
  g_assert_cmpstr (find_kelurahan (kelurahan, KEL_BIRUGO)->kecamatan_name, ==,
                   "Aur Birugo Tigo Baleh");

  for (guint k = 0; k < kelurahan->len; k++)
    {
      PdmTrainingReportKelurahan *row = g_ptr_array_index (kelurahan, k);

      if (row->n_participants == 0)
        {
          g_assert_cmpuint (row->n_any_session, ==, 0);
          g_assert_cmpuint (row->present[0] + row->present[1], ==, 0);
          n_empty++;
        }
    }
  g_assert_cmpuint (n_empty, ==, 21);

  g_assert_cmpuint (((PdmTrainingReportSession *) g_ptr_array_index (sessions, 0))->n_present,
                    ==, 5);
  g_assert_cmpuint (((PdmTrainingReportSession *) g_ptr_array_index (sessions, 1))->n_present,
                    ==, 4);
}

/* A participant of a kelurahan outside the list has a row of its own. */
static void
test_kelurahan_unknown (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE participant SET kelurahan_code = NULL "
                                          "WHERE id = '%s'", fixture->participants[ANI]);
  PdmTrainingReportKelurahan *other;
  GPtrArray *kelurahan;

  g_assert_cmpint (sqlite3_exec (pdm_database_get_handle (fixture->replica.database), sql,
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  report = compute (fixture);
  kelurahan = pdm_training_report_get_kelurahan (report);

  g_assert_cmpuint (kelurahan->len, ==, 25);
  other = g_ptr_array_index (kelurahan, 24);
  g_assert_null (other->code);
  g_assert_cmpuint (other->n_participants, ==, 1);
  g_assert_cmpuint (other->n_all_sessions, ==, 1);
  g_assert_cmpuint (find_kelurahan (kelurahan, KEL_CAMPAGO_IPUH)->n_participants, ==, 1);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  PdmDatabase *database = fixture->replica.database;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_assert_null (pdm_training_report_compute (database, "no-such-training", NULL, NULL, NULL,
                                              &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (pdm_repository_delete (fixture->replica.repository, PDM_TABLE_TRAINING,
                                        fixture->training_id, &error));
  g_assert_null (pdm_training_report_compute (database, fixture->training_id, NULL, NULL, NULL,
                                              &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (pdm_repository_restore (fixture->replica.repository, PDM_TABLE_TRAINING,
                                         fixture->training_id, &error));

  g_assert_null (pdm_training_report_compute (database, fixture->training_id,
                                              "speaker-evaluation", NULL, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "speaker-evaluation"));
  g_clear_error (&error);

  g_assert_null (pdm_training_report_compute (database, fixture->training_id, NULL,
                                              "no-such-test", NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-test"));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (pdm_training_report_compute (database, fixture->training_id, NULL, NULL,
                                              cancellable, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_CANCELLED);
}

/* The two tests chosen by key: the post-test as both gives no gain. */
static void
test_form_keys (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const PdmTrainingReportSummary *summary;

  report = pdm_training_report_compute (fixture->replica.database, fixture->training_id,
                                        PDM_TRAINING_REPORT_POST_TEST,
                                        PDM_TRAINING_REPORT_POST_TEST, NULL, &error);
  g_assert_no_error (error);
  summary = pdm_training_report_get_summary (report);
  g_assert_cmpuint (summary->n_pre, ==, 5);
  assert_near (summary->mean_pre_percent, 73);
}

typedef struct
{
  GAsyncResult *result;
} AsyncData;

static void
on_computed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncData *async = user_data;

  async->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((AsyncData *) data)->result != NULL;
}

static PdmTrainingReport *
compute_async (Fixture       *fixture,
               GCancellable  *cancellable,
               GError       **error)
{
  AsyncData async = { NULL };
  PdmTrainingReport *report;

  pdm_training_report_compute_async (fixture->replica.database, fixture->training_id, NULL, NULL,
                                     cancellable, on_computed_cb, &async);
  g_assert_true (pdm_test_wait_for (NULL, has_result, &async, 10000));
  report = pdm_training_report_compute_finish (fixture->replica.database, async.result, error);
  g_object_unref (async.result);

  return report;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const PdmTrainingReportSummary *summary;

  report = compute_async (fixture, NULL, &error);
  g_assert_no_error (error);
  summary = pdm_training_report_get_summary (report);
  g_assert_cmpuint (summary->n_participants, ==, 6);
  g_assert_cmpuint (summary->n_post_passed, ==, 3);
  g_assert_cmpstr (pdm_training_report_get_title (report), ==, TRAINING_TITLE);
  g_assert_cmpuint (pdm_training_report_get_evaluations (report)->len, ==, 3);

  g_cancellable_cancel (cancellable);
  g_assert_null (compute_async (fixture, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* --- the document ------------------------------------------------------- */

static PdmReportSection *
find_section (PdmReportDoc *doc,
              const char   *heading)
{
  for (guint s = 0; s < pdm_report_doc_get_n_sections (doc); s++)
    {
      PdmReportSection *section = pdm_report_doc_get_section (doc, s);

      if (g_str_equal (pdm_report_section_get_heading (section), heading))
        return section;
    }

  g_error ("No section “%s”", heading);
}

static void
assert_cell (PdmReportTable *table,
             guint           row,
             guint           column,
             const char     *text)
{
  g_autofree char *cell = pdm_report_table_format_cell (table, row, column);

  g_assert_cmpstr (cell, ==, text);
}

static const char *
detail (PdmReportDoc *doc,
        const char   *label)
{
  for (guint i = 0; i < pdm_report_doc_get_n_details (doc); i++)
    if (g_str_equal (pdm_report_doc_get_detail_label (doc, i), label))
      return pdm_report_doc_get_detail_value (doc, i);

  g_error ("No detail “%s”", label);
}

static void
test_doc_details (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  g_autoptr(PdmReportDoc) doc = pdm_training_report_build_doc (report);
  g_autofree char *dates = g_strdup_printf (_("%s – %s"), "24 November 2025", "26 November 2025");
  PdmReportSection *section;
  PdmReportTable *table;

  g_assert_cmpstr (pdm_report_doc_get_title (doc), ==, _("Training Evaluation Report"));
  g_assert_cmpstr (detail (doc, _("Training")), ==, TRAINING_TITLE);
  g_assert_cmpstr (detail (doc, _("Date")), ==, dates);
  g_assert_cmpstr (detail (doc, _("Venue")), ==, "Aula Balai Kota Bukittinggi");
  g_assert_cmpstr (detail (doc, _("Organiser")), ==, "Dinas Sosial Kota Bukittinggi");
  g_assert_cmpstr (detail (doc, _("Participants")), ==, "6");

  /* Per test: who took it, the average, and who passed. */
  table = pdm_report_section_get_table (find_section (doc, _("Test results")));
  g_assert_cmpuint (pdm_report_table_get_n_rows (table), ==, 2);
  g_assert_cmpstr (pdm_report_table_get_text (table, 0, 0), ==, "Pre-Test Pelatihan Dasar PSM");
  assert_cell (table, 0, 1, "6");
  assert_cell (table, 0, 2, "58,3%");
  assert_cell (table, 1, 1, "5");
  assert_cell (table, 1, 2, "73,0%");
  assert_cell (table, 1, 4, "3");
  assert_cell (table, 1, 5, "60,0%");

  section = find_section (doc, _("Gain from pre-test to post-test"));
  table = pdm_report_section_get_table (section);
  g_assert_cmpuint (pdm_report_table_get_n_rows (table), ==, 5);
  for (guint row = 0; row < 5; row++)
    assert_cell (table, row, 1, "1");
  g_assert_cmpstr (pdm_report_table_get_text (table, 0, 0), ==,
                   pdm_gain_category_to_string (PDM_GAIN_HIGH));
}

static void
test_doc_participants (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  g_autoptr(PdmReportDoc) doc = pdm_training_report_build_doc (report);
  PdmReportSection *section = find_section (doc, _("Scores per participant"));
  PdmReportTable *table = pdm_report_section_get_table (section);
  PdmReportChart *chart = pdm_report_section_get_chart (section);

  g_assert_cmpuint (pdm_report_table_get_n_rows (table), ==, 6);
  g_assert_cmpstr (pdm_report_table_get_text (table, ANI, 1), ==, "Ani Rahmawati");
  g_assert_cmpstr (pdm_report_table_get_text (table, ANI, 2), ==, "Campago Ipuh");
  assert_cell (table, ANI, 3, "10");
  assert_cell (table, ANI, 4, "16");
  assert_cell (table, ANI, 5, "50,0%");
  assert_cell (table, ANI, 6, "80,0%");
  assert_cell (table, ANI, 7, "30,0");
  assert_cell (table, ANI, 8, "0,60");
  g_assert_cmpstr (pdm_report_table_get_text (table, ANI, 9), ==,
                   pdm_gain_category_to_string (PDM_GAIN_MEDIUM));
  g_assert_cmpstr (pdm_report_table_get_text (table, ANI, 10), ==, C_("test result", "Passed"));
  /* Full marks before: the gain, but no normalized gain. */
  assert_cell (table, BUDI, 7, "-10,0");
  assert_cell (table, BUDI, 8, "—");
  g_assert_true (isnan (pdm_report_table_get_value (table, BUDI, 8)));
  /* No post-test. */
  assert_cell (table, CITRA, 4, "—");
  assert_cell (table, CITRA, 8, "—");
  assert_cell (table, DEDI, 4, "18");
  assert_cell (table, DEDI, 8, "0,83");
  assert_cell (table, EKA, 8, "-0,33");
  g_assert_cmpstr (pdm_report_table_get_text (table, EKA, 10), ==,
                   C_("test result", "Not passed"));
  assert_cell (table, FAJAR, 3, "6");
  /* The averages. */
  g_assert_true (pdm_report_table_has_footer (table));
  assert_cell (table, PDM_REPORT_FOOTER_ROW, 5, "58,3%");
  assert_cell (table, PDM_REPORT_FOOTER_ROW, 7, "15,0");

  g_assert_cmpint (pdm_report_chart_get_kind (chart), ==, PDM_REPORT_CHART_PAIRED);
  g_assert_cmpuint (pdm_report_chart_get_n_categories (chart), ==, 6);
  g_assert_cmpstr (pdm_report_chart_get_category (chart, DEDI), ==, "Dedi Kurniawan");
  assert_near (pdm_report_chart_get_value (chart, 0, DEDI), 40);
  assert_near (pdm_report_chart_get_value (chart, 1, DEDI), 90);
  g_assert_true (isnan (pdm_report_chart_get_value (chart, 1, CITRA)));
}

static void
test_doc_items (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  g_autoptr(PdmReportDoc) doc = pdm_training_report_build_doc (report);
  PdmReportSection *section = find_section (doc, _("Correct answers per item"));
  PdmReportTable *table = pdm_report_section_get_table (section);
  PdmReportChart *chart = pdm_report_section_get_chart (section);

  g_assert_cmpuint (pdm_report_table_get_n_rows (table), ==, 20);
  assert_cell (table, 8, 2, "66,7%");
  assert_cell (table, 8, 3, "80,0%");
  assert_cell (table, 8, 4, "13,3");
  g_assert_null (pdm_report_table_get_text (table, 8, 5));
  g_assert_cmpstr (pdm_report_table_get_text (table, 18, 5), ==,
                   _("Fewer right after the training"));
  g_assert_cmpstr (pdm_report_table_get_text (table, 19, 5), ==, _("Few right before and after"));
  g_assert_cmpstr (pdm_report_table_get_text (table, 0, 5), ==,
                   _("Almost all right before and after"));

  g_assert_cmpint (pdm_report_chart_get_kind (chart), ==, PDM_REPORT_CHART_BAR);
  g_assert_cmpuint (pdm_report_chart_get_n_series (chart), ==, 2);
  g_assert_cmpuint (pdm_report_chart_get_n_categories (chart), ==, 20);
  assert_near (pdm_report_chart_get_value (chart, 0, 12), 100.0 * 2 / 6);
  assert_near (pdm_report_chart_get_value (chart, 1, 12), 60);
}

static void
test_doc_evaluations (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  g_autoptr(PdmReportDoc) doc = pdm_training_report_build_doc (report);
  g_autofree char *subject = g_strdup_printf (_("session %u, %s"), 1, "Dra. Yusnimar");
  g_autofree char *heading = g_strdup_printf (_("%s: %s"), "Evaluasi Narasumber", subject);
  g_autofree char *suggestions = g_strdup_printf (_("Suggestions: %s"), subject);
  g_autofree char *organisation = g_strdup_printf (_("Suggestions: %s"),
                                                   "Evaluasi Penyelenggaraan Pelatihan");
  PdmReportSection *section = find_section (doc, heading);
  PdmReportTable *table = pdm_report_section_get_table (section);
  PdmReportChart *chart = pdm_report_section_get_chart (section);

  /* Criterion, average, Sangat Baik … Kurang, answers. */
  g_assert_cmpuint (pdm_report_table_get_n_columns (table), ==, 7);
  g_assert_cmpstr (pdm_report_table_get_header (table, 2), ==, "Sangat Baik");
  g_assert_cmpstr (pdm_report_table_get_header (table, 5), ==, "Kurang");
  g_assert_cmpuint (pdm_report_table_get_n_rows (table), ==, 6);
  g_assert_cmpstr (pdm_report_table_get_text (table, 0, 0), ==, "Penguasaan materi");
  assert_cell (table, 0, 1, "3,67");
  assert_cell (table, 0, 2, "2");
  assert_cell (table, 0, 3, "1");
  assert_cell (table, 0, 4, "0");
  assert_cell (table, 1, 4, "1");
  assert_cell (table, 0, 6, "3");
  assert_cell (table, PDM_REPORT_FOOTER_ROW, 1, "3,11");

  g_assert_cmpuint (pdm_report_chart_get_n_categories (chart), ==, 6);
  assert_near (pdm_report_chart_get_value (chart, 0, 0), 11.0 / 3);
  assert_near (pdm_report_chart_get_axis_max (chart), 4);

  section = find_section (doc, suggestions);
  g_assert_cmpuint (pdm_report_section_get_n_paragraphs (section), ==, 1);
  g_assert_cmpstr (pdm_report_section_get_paragraph (section, 0), ==, "Materi sangat jelas.");

  table = pdm_report_section_get_table (find_section (doc, "Evaluasi Penyelenggaraan Pelatihan"));
  assert_cell (table, 0, 1, "3,00");
  assert_cell (table, 2, 6, "3");
  section = find_section (doc, organisation);
  g_assert_cmpuint (pdm_report_section_get_n_paragraphs (section), ==, 2);
  g_assert_cmpstr (pdm_report_section_get_paragraph (section, 1), ==, "Ruangan terlalu panas.");
}

static void
test_doc_kelurahan (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  g_autoptr(PdmReportDoc) doc = pdm_training_report_build_doc (report);
  PdmReportSection *section = find_section (doc, _("Participants and attendance per kelurahan"));
  PdmReportTable *table = pdm_report_section_get_table (section);
  PdmReportChart *chart = pdm_report_section_get_chart (section);
  guint tarok_dipo = G_MAXUINT, aur_kuning = G_MAXUINT;

  g_assert_cmpuint (pdm_report_table_get_n_rows (table), ==, 24);
  g_assert_cmpuint (pdm_report_table_get_n_columns (table), ==, 5 + N_SESSIONS);
  for (guint row = 0; row < 24; row++)
    {
      const char *name = pdm_report_table_get_text (table, row, 1);

      if (g_str_equal (name, "Tarok Dipo"))
        tarok_dipo = row;
      else if (g_str_equal (name, "Aur Kuning"))
        aur_kuning = row;
    }
  g_assert_cmpuint (tarok_dipo, !=, G_MAXUINT);
  g_assert_cmpuint (aur_kuning, !=, G_MAXUINT);

  g_assert_cmpstr (pdm_report_table_get_text (table, tarok_dipo, 0), ==, "Guguak Panjang");
  assert_cell (table, tarok_dipo, 2, "2");
  assert_cell (table, tarok_dipo, 3, "1");
  assert_cell (table, tarok_dipo, 4, "2");
  assert_cell (table, tarok_dipo, 5, "100,0%");
  assert_cell (table, tarok_dipo, 6, "50,0%");
  /* A kelurahan without participants has its row, with zeros and no rates. */
  assert_cell (table, aur_kuning, 2, "0");
  assert_cell (table, aur_kuning, 5, "—");
  assert_cell (table, PDM_REPORT_FOOTER_ROW, 2, "6");
  assert_cell (table, PDM_REPORT_FOOTER_ROW, 5, "83,3%");
  assert_cell (table, PDM_REPORT_FOOTER_ROW, 6, "66,7%");

  g_assert_cmpuint (pdm_report_chart_get_n_categories (chart), ==, 24);
  g_assert_cmpuint (pdm_report_chart_get_n_series (chart), ==, 2);
  assert_near (pdm_report_chart_get_value (chart, 0, tarok_dipo), 2);
  assert_near (pdm_report_chart_get_value (chart, 1, tarok_dipo), 1);
  assert_near (pdm_report_chart_get_value (chart, 0, aur_kuning), 0);
}

/* The PDF as a person's PDF reader shows it: the title and the names. */
static void
test_doc_pdf (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PdmTrainingReport) report = compute (fixture);
  g_autoptr(PdmReportDoc) doc = pdm_training_report_build_doc (report);
  g_autofree char *path = g_build_filename (fixture->replica.dir, "laporan.pdf", NULL);
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  int status = 0;

  g_assert_true (pdm_report_doc_write_pdf (doc, path, NULL, &error));
  g_assert_no_error (error);

  if (program == NULL)
    {
      g_test_skip ("pdftotext is not installed (poppler-utils)");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));

  /* A name wrapped in a narrow cell reads the same with its words joined. */
  text = g_regex_replace_literal (spaces, out, -1, 0, " ", 0, &error);
  g_assert_no_error (error);

  g_assert_nonnull (strstr (text, TRAINING_TITLE));
  g_assert_nonnull (strstr (text, "Ani Rahmawati"));
  g_assert_nonnull (strstr (text, "Materi sangat jelas."));
  g_assert_nonnull (strstr (text, "Campago Ipuh"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  pdm_test_use_indonesian ();

#define ADD(path, func) \
  g_test_add ("/training-report/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("participants", test_participants);
  ADD ("summary", test_summary);
  ADD ("items", test_items);
  ADD ("evaluations", test_evaluations);
  ADD ("kelurahan", test_kelurahan);
  ADD ("kelurahan-unknown", test_kelurahan_unknown);
  ADD ("errors", test_errors);
  ADD ("form-keys", test_form_keys);
  ADD ("async", test_async);
  ADD ("doc/details", test_doc_details);
  ADD ("doc/participants", test_doc_participants);
  ADD ("doc/items", test_doc_items);
  ADD ("doc/evaluations", test_doc_evaluations);
  ADD ("doc/kelurahan", test_doc_kelurahan);
  ADD ("doc/pdf", test_doc_pdf);

#undef ADD

  return g_test_run ();
}
