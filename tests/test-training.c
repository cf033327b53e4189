/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-training"

#include "config.h"

#include "pdm-error.h"
#include "pdm-rules.h"
#include "pdm-test-util.h"
#include "pdm-training.h"
#include "pdm-uuid.h"

/* Trainings, participants, attendance, forms and responses, on two devices
 * (database files) that exchange their writes the way sync does. */

#define KEL_CAMPAGO_IPUH "13.75.02.1002"
#define KEL_TAROK_DIPO   "13.75.01.1001"

/* A form of this test's own, so the seeding does not hang on what the
 * form engine ships. */
static const char quiz_json[] =
  "{\n"
  "  \"id\": \"test-quiz\",\n"
  "  \"version\": 1,\n"
  "  \"title\": \"Kuis Uji\",\n"
  "  \"kind\": \"test\",\n"
  "  \"sections\": [ { \"id\": \"s\", \"questions\": [] } ]\n"
  "}\n";

typedef struct
{
  PdmTestReplica a;
  PdmTestReplica b;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pdm_test_replica_set_up (&fixture->a, data);
  pdm_test_replica_set_up (&fixture->b, data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pdm_test_replica_tear_down (&fixture->a, data);
  pdm_test_replica_tear_down (&fixture->b, data);
}

static sqlite3 *
db_of (PdmTestReplica *replica)
{
  return pdm_database_get_handle (replica->database);
}

static gint64
query_int (PdmTestReplica *replica,
           const char     *sql)
{
  return pdm_test_query_int (db_of (replica), sql);
}

/* A PSM as the volunteer page saves one. */
static char *
new_volunteer (PdmRepository *repository,
               const char    *name,
               const char    *nik,
               const char    *kelurahan)
{
  g_autoptr(PdmRecord) volunteer = pdm_record_new (PDM_TABLE_VOLUNTEER);
  g_autoptr(GError) error = NULL;

  pdm_record_set (volunteer, "full_name", name);
  pdm_record_set (volunteer, "nik", nik);
  pdm_record_set (volunteer, "kelurahan_code", kelurahan);
  g_assert_true (pdm_repository_insert (repository, volunteer, &error));
  g_assert_no_error (error);

  return g_strdup (volunteer->id);
}

static char *
new_training (PdmRepository *repository,
              const char    *title,
              const char    *start_date)
{
  g_autoptr(PdmRecord) training = pdm_record_new (PDM_TABLE_TRAINING);
  g_autoptr(GError) error = NULL;

  pdm_record_set (training, "title", title);
  pdm_record_set (training, "start_date", start_date);
  pdm_record_set (training, "venue", "Aula Balai Kota Bukittinggi");
  pdm_record_set (training, "organiser", "Dinas Sosial Kota Bukittinggi");
  g_assert_true (pdm_rules_save (repository, training, NULL, NULL, &error));
  g_assert_no_error (error);

  return g_strdup (training->id);
}

static char *
new_session (PdmRepository *repository,
             const char    *training_id,
             const char    *topic,
             const char    *start_time,
             int            position)
{
  g_autoptr(PdmRecord) session = pdm_record_new (PDM_TABLE_TRAINING_SESSION);
  g_autoptr(GError) error = NULL;

  pdm_record_set (session, "training_id", training_id);
  pdm_record_set (session, "topic", topic);
  pdm_record_set (session, "speaker", "Dra. Yusnimar");
  pdm_record_set (session, "institution", "BBPPKS Padang");
  pdm_record_set (session, "session_date", "2025-11-25");
  pdm_record_set (session, "start_time", start_time);
  pdm_record_set_int (session, "position", position);
  g_assert_true (pdm_rules_save (repository, session, NULL, NULL, &error));
  g_assert_no_error (error);

  return g_strdup (session->id);
}

static char *
seed_quiz (PdmTestReplica *replica)
{
  g_autoptr(GError) error = NULL;
  char *form_id = NULL;

  g_assert_true (pdm_training_seed_form_json (db_of (replica), quiz_json, strlen (quiz_json),
                                              &form_id, NULL, &error));
  g_assert_no_error (error);

  return form_id;
}

static void
test_trainings_and_sessions (Fixture       *fixture,
                             gconstpointer  data)
{
  PdmRepository *repository = fixture->a.repository;
  g_autofree char *older = new_training (repository, "Bimtek PSM", "2024-03-04");
  g_autofree char *newer = new_training (repository, "Pelatihan Dasar PSM", "2025-11-25");
  g_autofree char *second = new_session (repository, newer, "Peran PSM", "10.15", 2);
  g_autofree char *first = new_session (repository, newer, "Kebijakan Kemensos", "08:00", 1);
  g_autoptr(PdmRecord) wrong_dates = pdm_record_new (PDM_TABLE_TRAINING);
  g_autoptr(PdmRecord) wrong_times = pdm_record_new (PDM_TABLE_TRAINING_SESSION);
  g_autoptr(GPtrArray) trainings = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  trainings = pdm_training_list (repository, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trainings->len, ==, 2);
  g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (trainings, 0))->id, ==, newer);

  /* In their order, with the time as typed in Indonesia made HH:MM. */
  sessions = pdm_training_list_sessions (repository, newer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 2);
  g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (sessions, 0))->id, ==, first);
  g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (sessions, 1))->id, ==, second);
  g_assert_cmpstr (pdm_record_get (g_ptr_array_index (sessions, 1), "start_time"), ==, "10:15");

  pdm_record_set (wrong_dates, "title", "Pelatihan Lanjutan");
  pdm_record_set (wrong_dates, "start_date", "2025-11-27");
  pdm_record_set (wrong_dates, "end_date", "2025-11-25");
  g_assert_false (pdm_rules_save (repository, wrong_dates, NULL, &field, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  g_assert_cmpstr (field, ==, "end_date");
  g_clear_error (&error);

  pdm_record_set (wrong_times, "training_id", newer);
  pdm_record_set (wrong_times, "topic", "Diskusi");
  pdm_record_set (wrong_times, "start_time", "25:00");
  g_assert_false (pdm_rules_save (repository, wrong_times, NULL, &field, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  g_assert_cmpstr (field, ==, "start_time");
  g_clear_error (&error);

  /* A deleted training leaves the list, and comes back. */
  g_assert_true (pdm_repository_delete (repository, PDM_TABLE_TRAINING, older, &error));
  g_clear_pointer (&trainings, g_ptr_array_unref);
  trainings = pdm_training_list (repository, &error);
  g_assert_cmpuint (trainings->len, ==, 1);
  g_assert_true (pdm_repository_restore (repository, PDM_TABLE_TRAINING, older, &error));
  g_clear_pointer (&trainings, g_ptr_array_unref);
  trainings = pdm_training_list (repository, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trainings->len, ==, 2);
}

static void
test_participants (Fixture       *fixture,
                   gconstpointer  data)
{
  PdmRepository *repository = fixture->a.repository;
  g_autofree char *training = new_training (repository, "Pelatihan Dasar PSM", "2025-11-25");
  g_autofree char *rina = new_volunteer (repository, "Rina Marlina", "1375026502850001",
                                         KEL_CAMPAGO_IPUH);
  g_autofree char *andi = new_volunteer (repository, "Andi Saputra", "1375011003800002",
                                         KEL_TAROK_DIPO);
  g_autofree char *zul = new_volunteer (repository, "Zulkarnain", "1375021212750003",
                                        KEL_CAMPAGO_IPUH);
  g_autofree char *expected_id = pdm_training_participant_id (training, rina);
  g_autoptr(PdmRecord) participant = NULL;
  g_autoptr(PdmRecord) again = NULL;
  g_autoptr(PdmRecord) back = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  PdmParticipantRow *row;

  participant = pdm_training_add_participant (repository, training, rina, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (participant->id, ==, expected_id);
  g_assert_true (g_uuid_string_is_valid (participant->id));
  g_assert_cmpint (participant->id[14], ==, '5');
  g_assert_cmpstr (pdm_record_get (participant, "kelurahan_code"), ==, KEL_CAMPAGO_IPUH);
  again = pdm_training_add_participant (repository, training, andi, &error);
  g_assert_no_error (error);
  g_clear_pointer (&again, pdm_record_free);
  again = pdm_training_add_participant (repository, training, zul, &error);
  g_assert_no_error (error);
  g_clear_pointer (&again, pdm_record_free);

  /* The same PSM twice is refused, and nothing was written. */
  g_assert_null (pdm_training_add_participant (repository, training, rina, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Rina Marlina"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM participant"), ==, 3);

  /* Nor can a PSM who is not there be added. */
  g_assert_null (pdm_training_add_participant (repository, training,
                                               "0190d0a4-0000-7000-8000-000000000000", &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The check-in list: by name, with the kelurahan's name. */
  rows = pdm_training_list_participants (repository, training, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->full_name, ==, "Andi Saputra");
  g_assert_cmpstr (row->kelurahan_name, ==, "Tarok Dipo");
  g_assert_cmpstr (((PdmParticipantRow *) g_ptr_array_index (rows, 2))->full_name, ==,
                   "Zulkarnain");

  /* Any word of the name, or the NIK, as it is typed. */
  found = pdm_training_list_participants (repository, training, " marl", &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((PdmParticipantRow *) g_ptr_array_index (found, 0))->participant->id, ==,
                   expected_id);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = pdm_training_list_participants (repository, training, "13750110", &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((PdmParticipantRow *) g_ptr_array_index (found, 0))->full_name, ==,
                   "Andi Saputra");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = pdm_training_list_participants (repository, training, "%", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  /* Removed, then added again: the same participant comes back. */
  g_assert_true (pdm_training_remove_participant (repository, expected_id, &error));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = pdm_training_list_participants (repository, training, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 2);
  back = pdm_training_add_participant (repository, training, rina, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->id, ==, expected_id);
  g_assert_false (pdm_record_is_deleted (back));
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM participant WHERE deleted = 0"),
                   ==, 3);
}

/* Derived keys are the same on every device and differ per pair. */
static void
test_derived_keys (void)
{
  const char *training = "0190d0a4-1111-7000-8000-000000000001";
  const char *volunteer = "0190d0a4-2222-7000-8000-000000000002";
  g_autofree char *one = pdm_training_participant_id (training, volunteer);
  g_autofree char *same = pdm_training_participant_id (training, volunteer);
  g_autofree char *swapped = pdm_training_participant_id (volunteer, training);
  g_autofree char *mark = pdm_training_attendance_id (training, volunteer);
  g_autofree char *form_1 = pdm_training_form_id ("psm-basic-pretest", 1);
  g_autofree char *form_2 = pdm_training_form_id ("psm-basic-pretest", 2);
  char known[PDM_UUID_LEN + 1];

  g_assert_cmpstr (one, ==, same);
  g_assert_cmpstr (one, !=, swapped);
  g_assert_cmpstr (one, !=, mark);
  g_assert_cmpstr (form_1, !=, form_2);

  /* RFC 9562's own example, so other clients can derive the same keys:
   * UUIDv5 of "www.example.com" in the DNS namespace. */
  pdm_uuid_v5_generate ("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com", known);
  g_assert_cmpstr (known, ==, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

static void
test_attendance (Fixture       *fixture,
                 gconstpointer  data)
{
  PdmRepository *repository = fixture->a.repository;
  g_autofree char *training = new_training (repository, "Pelatihan Dasar PSM", "2025-11-25");
  g_autofree char *other = new_training (repository, "Bimtek Pendamping PKH", "2025-12-01");
  g_autofree char *session = new_session (repository, training, "Peran PSM", "08:00", 1);
  g_autofree char *rina = new_volunteer (repository, "Rina Marlina", "1375026502850001",
                                         KEL_CAMPAGO_IPUH);
  g_autoptr(PdmRecord) participant = NULL;
  g_autoptr(PdmRecord) outsider = NULL;
  g_autoptr(GHashTable) present = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mark_id = NULL;

  participant = pdm_training_add_participant (repository, training, rina, &error);
  outsider = pdm_training_add_participant (repository, other, rina, &error);
  g_assert_no_error (error);
  mark_id = pdm_training_attendance_id (session, participant->id);

  g_assert_true (pdm_training_set_attendance (repository, session, participant->id, TRUE, &error));
  g_assert_no_error (error);
  present = pdm_training_get_attendance (repository, session, &error);
  g_assert_true (g_hash_table_contains (present, participant->id));
  g_assert_cmpuint (g_hash_table_size (present), ==, 1);
  g_clear_pointer (&present, g_hash_table_unref);

  /* Unmarked: the same mark, not a second one. */
  g_assert_true (pdm_training_set_attendance (repository, session, participant->id, FALSE,
                                              &error));
  present = pdm_training_get_attendance (repository, session, &error);
  g_assert_cmpuint (g_hash_table_size (present), ==, 0);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM attendance"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM attendance WHERE id = '%s'",
                                            mark_id);

    g_assert_cmpint (query_int (&fixture->a, sql), ==, 1);
  }

  /* A participant of another training is not checked in here. */
  g_assert_false (pdm_training_set_attendance (repository, session, outsider->id, TRUE, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM attendance"), ==, 1);
}

static PdmRecord *
new_response (const char *form_id,
              const char *training_id,
              const char *participant_id)
{
  PdmRecord *response = pdm_record_new (PDM_TABLE_RESPONSE);

  pdm_record_set (response, "form_id", form_id);
  pdm_record_set (response, "training_id", training_id);
  pdm_record_set (response, "participant_id", participant_id);
  pdm_record_set (response, "answers", "{\"q01\": \"a\", \"q02\": \"c\"}");
  pdm_record_set_int (response, "score", 1);
  pdm_record_set_int (response, "max_score", 2);

  return response;
}

static void
test_response_immutable (Fixture       *fixture,
                         gconstpointer  data)
{
  PdmRepository *repository = fixture->a.repository;
  g_autofree char *form_id = seed_quiz (&fixture->a);
  g_autofree char *training = new_training (repository, "Pelatihan Dasar PSM", "2025-11-25");
  g_autofree char *rina = new_volunteer (repository, "Rina Marlina", "1375026502850001",
                                         KEL_CAMPAGO_IPUH);
  g_autoptr(PdmRecord) participant = pdm_training_add_participant (repository, training, rina,
                                                                   NULL);
  g_autoptr(PdmRecord) response = new_response (form_id, training, participant->id);
  g_autoptr(PdmRecord) stored = NULL;
  g_autoptr(PdmRecord) twice = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GError) error = NULL;
  guint n_outbox;

  g_assert_true (pdm_training_submit_response (repository, response, &error));
  g_assert_no_error (error);
  g_assert_nonnull (pdm_record_get (response, "submitted_at"));
  n_outbox = pdm_repository_count_outbox (repository);

  /* Neither an edit nor a deletion goes through. */
  pdm_record_set (response, "answers", "{\"q01\": \"b\", \"q02\": \"c\"}");
  pdm_record_set_int (response, "score", 2);
  g_assert_false (pdm_repository_update (repository, response, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_IMMUTABLE);
  g_assert_nonnull (strstr (error->message, "answers"));
  g_clear_error (&error);
  g_assert_false (pdm_repository_delete (repository, PDM_TABLE_RESPONSE, response->id, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_IMMUTABLE);
  g_clear_error (&error);

  stored = pdm_repository_get (repository, PDM_TABLE_RESPONSE, response->id, &error);
  g_assert_cmpstr (pdm_record_get (stored, "answers"), ==, "{\"q01\": \"a\", \"q02\": \"c\"}");
  g_assert_cmpstr (pdm_record_get (stored, "score"), ==, "1");
  g_assert_false (pdm_record_is_deleted (stored));
  g_assert_cmpuint (pdm_repository_count_outbox (repository), ==, n_outbox);

  /* Submitting it again is no way round. */
  g_assert_false (pdm_training_submit_response (repository, response, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_IMMUTABLE);
  g_clear_error (&error);

  /* Answers that are not a JSON object are refused before anything is kept. */
  twice = new_response (form_id, training, participant->id);
  pdm_record_set (twice, "answers", "[1, 2]");
  g_assert_false (pdm_training_submit_response (repository, twice, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  responses = pdm_training_list_responses (repository, training, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (responses->len, ==, 1);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM conflict"), ==, 0);
}

static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  PdmRepository *repository = fixture->a.repository;
  g_autofree char *form_id = seed_quiz (&fixture->a);
  g_autofree char *training = new_training (repository, "Pelatihan Dasar PSM", "2025-11-25");
  g_autofree char *other = new_training (repository, "Bimtek Pendamping PKH", "2025-12-01");
  g_autofree char *rina = new_volunteer (repository, "Rina Marlina", "1375026502850001",
                                         KEL_CAMPAGO_IPUH);
  g_autoptr(PdmRecord) participant = pdm_training_add_participant (repository, training, rina,
                                                                   NULL);
  g_autoptr(PdmRecord) elsewhere = pdm_training_add_participant (repository, other, rina, NULL);
  g_autoptr(PdmResponseDraft) draft = pdm_response_draft_new ();
  g_autoptr(PdmResponseDraft) bad = pdm_response_draft_new ();
  g_autoptr(PdmResponseDraft) loaded = NULL;
  g_autoptr(PdmResponseDraft) found = NULL;
  g_autoptr(PdmRecord) response = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  guint n_outbox;

  draft->form_id = g_strdup (form_id);
  draft->training_id = g_strdup (training);
  draft->participant_id = g_strdup (participant->id);
  draft->answers = g_strdup ("{\"q01\": \"a\"}");
  g_assert_true (pdm_training_save_draft (repository, draft, &error));
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (draft->id));

  /* Saving again replaces it. */
  g_free (draft->answers);
  draft->answers = g_strdup ("{\"q01\": \"a\", \"q02\": \"c\"}");
  g_assert_true (pdm_training_save_draft (repository, draft, &error));
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM response_draft"), ==, 1);
  loaded = pdm_training_load_draft (repository, draft->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->answers, ==, draft->answers);
  found = pdm_training_find_draft (repository, form_id, participant->id, NULL, &error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, draft->id);
  drafts = pdm_training_list_drafts (repository, training, &error);
  g_assert_cmpuint (drafts->len, ==, 1);

  /* Drafts never sync: nothing in the outbox. */
  n_outbox = pdm_repository_count_outbox (repository);

  /* A draft that cannot be submitted stays a draft, and no response half
   * exists: the participant is of another training. */
  bad->form_id = g_strdup (form_id);
  bad->training_id = g_strdup (training);
  bad->participant_id = g_strdup (elsewhere->id);
  bad->answers = g_strdup ("{}");
  g_assert_true (pdm_training_save_draft (repository, bad, &error));
  g_assert_null (pdm_training_submit_draft (repository, bad->id, -1, -1, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM response_draft"), ==, 2);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM response"), ==, 0);
  g_assert_cmpuint (pdm_repository_count_outbox (repository), ==, n_outbox);

  /* Submitted: the response has the draft's key and answers, the draft is gone. */
  response = pdm_training_submit_draft (repository, draft->id, 2, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response->id, ==, draft->id);
  g_assert_cmpstr (pdm_record_get (response, "answers"), ==, draft->answers);
  g_assert_cmpstr (pdm_record_get (response, "score"), ==, "2");
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM response"), ==, 1);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM response_draft"), ==, 1);
  g_assert_cmpuint (pdm_repository_count_outbox (repository), ==, n_outbox + 1);
  g_clear_pointer (&loaded, pdm_response_draft_free);
  loaded = pdm_training_load_draft (repository, draft->id, &error);
  g_assert_null (loaded);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Discarding the other. */
  g_assert_true (pdm_training_delete_draft (repository, bad->id, &error));
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM response_draft"), ==, 0);
}

/* Every column of every form row, stamps included. */
static char *
dump_forms (PdmTestReplica *replica)
{
  return pdm_test_query_text (db_of (replica),
                              "SELECT group_concat (row, char (10)) FROM ("
                              "  SELECT quote (id) || quote (form_key) || quote (version) || "
                              "    quote (title) || quote (kind) || quote (definition) || "
                              "    quote (deleted) || quote (_created) || quote (_clock) AS row "
                              "  FROM form ORDER BY id)");
}

static void
test_seed_forms (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) shipped = NULL;
  g_autoptr(PdmRecord) pretest = NULL;
  g_autoptr(PdmRecord) quiz = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;
  g_autofree char *derived = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  gboolean inserted = TRUE;
  guint n_changed = 99;
  int total;

  /* Each device seeded the shipped forms when it opened its database,
   * byte for byte as shipped. */
  pretest = pdm_training_get_form (fixture->a.repository, "psm-basic-pretest", 0, &error);
  g_assert_no_error (error);
  shipped = g_resources_lookup_data (PDM_RESOURCE_BASE_PATH "/core/forms/psm-basic-pretest.json",
                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (pretest, "definition"), ==, g_bytes_get_data (shipped, NULL));
  g_assert_cmpstr (pdm_record_get (pretest, "kind"), ==, "test");

  /* Seeding our own form: once, then a no-op that writes nothing. */
  id_a = seed_quiz (&fixture->a);
  total = sqlite3_total_changes (db_of (&fixture->a));
  g_assert_true (pdm_training_seed_form_json (db_of (&fixture->a), quiz_json, strlen (quiz_json),
                                              NULL, &inserted, &error));
  g_assert_false (inserted);
  g_assert_true (pdm_training_seed_forms (db_of (&fixture->a), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_total_changes (db_of (&fixture->a)), ==, total);
  id_b = seed_quiz (&fixture->b);
  g_assert_cmpstr (id_a, ==, id_b);
  g_assert_cmpstr (id_a, ==, (derived = pdm_training_form_id ("test-quiz", 1)));

  quiz = pdm_training_get_form (fixture->b.repository, "test-quiz", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (quiz, "title"), ==, "Kuis Uji");
  g_assert_cmpstr (pdm_record_get (quiz, "definition"), ==, quiz_json);

  /* The two devices hold the same rows, stamps and all. */
  dump_a = dump_forms (&fixture->a);
  dump_b = dump_forms (&fixture->b);
  g_assert_cmpstr (dump_a, ==, dump_b);

  /* Receiving the other's copy (as the server sends it) changes nothing
   * and conflicts with nothing. */
  for (guint i = 0; i < quiz->info->n_fields; i++)
    g_ptr_array_add (changes, pdm_change_new ("form", quiz->id, quiz->info->fields[i].name,
                                              PDM_SHIPPED_STAMP, NULL, quiz->values[i]));
  g_assert_true (pdm_repository_apply_changes (fixture->a.repository, changes, &n_changed,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 0);
  g_clear_pointer (&dump_a, g_free);
  dump_a = dump_forms (&fixture->a);
  g_assert_cmpstr (dump_a, ==, dump_b);
  g_assert_cmpint (query_int (&fixture->a, "SELECT count(*) FROM conflict"), ==, 0);

  /* A broken definition is refused with a reason. */
  g_assert_false (pdm_training_seed_form_json (db_of (&fixture->a), "{\"id\": \"x\"}", 11, NULL,
                                               NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "title"));
}

/* Two devices check the same participant in at once, and edit the same
 * household field at once: the mark converges without a conflict, the
 * household field still goes to the inbox. */
static void
test_merge_no_conflict (Fixture       *fixture,
                        gconstpointer  data)
{
  PdmRepository *a = fixture->a.repository;
  PdmRepository *b = fixture->b.repository;
  g_autofree char *training = new_training (a, "Pelatihan Dasar PSM", "2025-11-25");
  g_autofree char *session = new_session (a, training, "Peran PSM", "08:00", 1);
  g_autofree char *rina = new_volunteer (a, "Rina Marlina", "1375026502850001", KEL_CAMPAGO_IPUH);
  g_autofree char *andi = new_volunteer (a, "Andi Saputra", "1375011003800002", KEL_TAROK_DIPO);
  g_autoptr(PdmRecord) household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(PdmRecord) participant = NULL;
  g_autoptr(PdmRecord) on_a = NULL;
  g_autoptr(PdmRecord) on_b = NULL;
  g_autoptr(PdmRecord) mark_a = NULL;
  g_autoptr(PdmRecord) mark_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mark_id = NULL;
  g_autofree char *stamp_a = NULL;
  g_autofree char *stamp_b = NULL;
  const char *expected;

  pdm_record_set (household, "head_name", "Nurhayati");
  pdm_record_set (household, "address", "Jl. Birugo Puhun No. 3");
  pdm_record_set (household, "kelurahan_code", KEL_CAMPAGO_IPUH);
  g_assert_true (pdm_repository_insert (a, household, &error));
  participant = pdm_training_add_participant (a, training, rina, &error);
  g_assert_no_error (error);
  pdm_test_send_all (a, b);

  /* At the same time, on both: Rina checked in (present on A, a mistake
   * undone on B), Andi added, the household's address corrected. */
  g_assert_true (pdm_training_set_attendance (a, session, participant->id, TRUE, &error));
  g_assert_true (pdm_training_set_attendance (b, session, participant->id, FALSE, &error));
  on_a = pdm_training_add_participant (a, training, andi, &error);
  on_b = pdm_training_add_participant (b, training, andi, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_a->id, ==, on_b->id);
  pdm_record_set (household, "address", "Jl. Birugo Puhun No. 5");
  g_assert_true (pdm_repository_update (a, household, NULL, &error));
  pdm_record_set (household, "address", "Jl. Birugo Puhun No. 7");
  g_assert_true (pdm_repository_update (b, household, NULL, &error));
  g_assert_no_error (error);

  mark_id = pdm_training_attendance_id (session, participant->id);
  stamp_a = pdm_repository_get_field_stamp (a, PDM_TABLE_ATTENDANCE, mark_id, "present", NULL,
                                            &error);
  stamp_b = pdm_repository_get_field_stamp (b, PDM_TABLE_ATTENDANCE, mark_id, "present", NULL,
                                            &error);
  g_assert_no_error (error);
  expected = strcmp (stamp_a, stamp_b) > 0 ? "1" : "0";

  pdm_test_send_all (a, b);
  pdm_test_send_all (b, a);

  /* One mark, the last writer's value, on both; one participant. */
  mark_a = pdm_repository_get (a, PDM_TABLE_ATTENDANCE, mark_id, &error);
  mark_b = pdm_repository_get (b, PDM_TABLE_ATTENDANCE, mark_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (mark_a, "present"), ==, expected);
  g_assert_cmpstr (pdm_record_get (mark_b, "present"), ==, expected);
  for (guint i = 0; i < 2; i++)
    {
      PdmTestReplica *replica = i == 0 ? &fixture->a : &fixture->b;

      g_assert_cmpint (query_int (replica, "SELECT count(*) FROM attendance"), ==, 1);
      g_assert_cmpint (query_int (replica, "SELECT count(*) FROM participant"), ==, 2);
      g_assert_cmpint (query_int (replica, "SELECT count(*) FROM conflict "
                                           "WHERE tbl IN ('attendance', 'participant')"), ==, 0);
      g_assert_cmpint (query_int (replica, "SELECT count(*) FROM conflict "
                                           "WHERE tbl = 'household' AND field = 'address'"), ==, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/training/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("trainings-and-sessions", test_trainings_and_sessions);
  ADD ("participants", test_participants);
  g_test_add_func ("/training/derived-keys", test_derived_keys);
  ADD ("attendance", test_attendance);
  ADD ("response-immutable", test_response_immutable);
  ADD ("drafts", test_drafts);
  ADD ("seed-forms", test_seed_forms);
  ADD ("merge-no-conflict", test_merge_no_conflict);

#undef ADD

  return g_test_run ();
}
