/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-training-report"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-training-report.h"
#include "pdm-util.h"

/* SQLite asks the progress handler every so many steps of its machine. */
#define CANCEL_CHECK_STEPS 4000
/* The loop over the responses looks at the cancellable every so many rows. */
#define CANCEL_CHECK_ROWS 256

/* A link's index for a long-text question: its answers are suggestions. */
#define SUGGESTION G_MAXUINT

struct _PdmTrainingReport
{
  gatomicrefcount           ref_count;

  char                     *training_id;
  char                     *title;
  char                     *start_date;
  char                     *end_date;
  char                     *venue;
  char                     *organiser;

  /* Of the newest version of each test. */
  char                     *pre_test_title;
  char                     *post_test_title;
  double                    post_test_max;

  GPtrArray                *participants;  /* of PdmTrainingReportParticipant */
  PdmTrainingReportSummary  summary;
  GPtrArray                *items;         /* of PdmTrainingReportItem */
  GPtrArray                *sessions;      /* of PdmTrainingReportSession */
  GPtrArray                *evaluations;   /* of PdmTrainingReportEvaluation */
  GPtrArray                *kelurahan;     /* of PdmTrainingReportKelurahan */
};

G_DEFINE_BOXED_TYPE (PdmTrainingReport, pdm_training_report,
                     pdm_training_report_ref, pdm_training_report_unref)

/* ---- the figures' structs ------------------------------------------------- */

static void
participant_free (PdmTrainingReportParticipant *participant)
{
  g_free (participant->participant_id);
  g_free (participant->full_name);
  g_free (participant->kelurahan_code);
  g_free (participant->kelurahan_name);
  g_free (participant);
}

static void
item_free (PdmTrainingReportItem *item)
{
  g_free (item->question_id);
  g_free (item->label);
  g_free (item);
}

static void
session_free (PdmTrainingReportSession *session)
{
  g_free (session->id);
  g_free (session->topic);
  g_free (session->speaker);
  g_free (session->institution);
  g_free (session->session_date);
  g_free (session->start_time);
  g_free (session);
}

static void
point_clear (gpointer data)
{
  PdmTrainingReportPoint *point = data;

  g_free (point->label);
}

static void
criterion_free (PdmTrainingReportCriterion *criterion)
{
  g_free (criterion->question_id);
  g_free (criterion->label);
  g_array_unref (criterion->points);
  g_free (criterion);
}

static void
evaluation_free (PdmTrainingReportEvaluation *evaluation)
{
  g_free (evaluation->form_key);
  g_free (evaluation->form_title);
  g_ptr_array_unref (evaluation->criteria);
  g_ptr_array_unref (evaluation->suggestions);
  g_free (evaluation);
}

static void
kelurahan_free (PdmTrainingReportKelurahan *kelurahan)
{
  g_free (kelurahan->code);
  g_free (kelurahan->name);
  g_free (kelurahan->kecamatan_name);
  g_free (kelurahan->present);
  g_free (kelurahan);
}

static PdmTrainingReport *
report_new (const char *training_id)
{
  PdmTrainingReport *report = g_new0 (PdmTrainingReport, 1);

  g_atomic_ref_count_init (&report->ref_count);
  report->training_id = g_strdup (training_id);
  report->post_test_max = NAN;
  report->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) participant_free);
  report->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  report->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) session_free);
  report->evaluations = g_ptr_array_new_with_free_func ((GDestroyNotify) evaluation_free);
  report->kelurahan = g_ptr_array_new_with_free_func ((GDestroyNotify) kelurahan_free);

  return report;
}

PdmTrainingReport *
pdm_training_report_ref (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  g_atomic_ref_count_inc (&report->ref_count);
  return report;
}

void
pdm_training_report_unref (PdmTrainingReport *report)
{
  g_return_if_fail (report != NULL);

  if (!g_atomic_ref_count_dec (&report->ref_count))
    return;

  g_free (report->training_id);
  g_free (report->title);
  g_free (report->start_date);
  g_free (report->end_date);
  g_free (report->venue);
  g_free (report->organiser);
  g_free (report->pre_test_title);
  g_free (report->post_test_title);
  g_ptr_array_unref (report->participants);
  g_ptr_array_unref (report->items);
  /* The evaluations point at the sessions. */
  g_ptr_array_unref (report->evaluations);
  g_ptr_array_unref (report->sessions);
  g_ptr_array_unref (report->kelurahan);
  g_free (report);
}

/* ---- one run of the computation ------------------------------------------- */

typedef enum
{
  ROLE_OTHER,
  ROLE_PRE,
  ROLE_POST,
  ROLE_EVALUATION,
} Role;

/* A question of a form that counts, and where its answers go: the index
 * of an item, of a criterion, or SUGGESTION. */
typedef struct
{
  PdmFormQuestion *question;
  guint            index;
} Link;

/* One stored version of a form. */
typedef struct
{
  PdmForm  *form;        /* NULL when the definition could not be read */
  char     *key;
  Role      role;
  /* Some section or question has a "relevant": relevance must be asked. */
  gboolean  skip_logic;
  GArray   *links;       /* of Link */
} FormEntry;

static void
form_entry_free (FormEntry *entry)
{
  g_clear_pointer (&entry->form, pdm_form_unref);
  g_free (entry->key);
  g_clear_pointer (&entry->links, g_array_unref);
  g_free (entry);
}

typedef struct
{
  sqlite3            *db;
  GCancellable       *cancellable;
  PdmTrainingReport  *report;
  const char         *pre_key;
  const char         *post_key;

  GHashTable         *forms;         /* form id → FormEntry */
  GHashTable         *templates;     /* form key → its newest readable FormEntry */
  GHashTable         *items;         /* question id → index + 1 */
  GHashTable         *sessions;      /* session id → index + 1 */
  GHashTable         *participants;  /* participant id → index + 1 */
  GHashTable         *kelurahan;     /* code → PdmTrainingReportKelurahan */
  GPtrArray          *participant_kelurahan;  /* per participant, borrowed */
  GHashTable         *evaluations;   /* "key\nsession id" → PdmTrainingReportEvaluation */
  GHashTable         *session_keys;  /* form keys evaluated per session → FormEntry */
  GHashTable         *overall_keys;  /* form keys evaluated as a whole → FormEntry */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->forms, g_hash_table_unref);
  g_clear_pointer (&run->templates, g_hash_table_unref);
  g_clear_pointer (&run->items, g_hash_table_unref);
  g_clear_pointer (&run->sessions, g_hash_table_unref);
  g_clear_pointer (&run->participants, g_hash_table_unref);
  g_clear_pointer (&run->kelurahan, g_hash_table_unref);
  g_clear_pointer (&run->participant_kelurahan, g_ptr_array_unref);
  g_clear_pointer (&run->evaluations, g_hash_table_unref);
  g_clear_pointer (&run->session_keys, g_hash_table_unref);
  g_clear_pointer (&run->overall_keys, g_hash_table_unref);
  g_clear_pointer (&run->report, pdm_training_report_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static int
on_sqlite_progress (gpointer user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

static gboolean
set_cancelled (GError **error)
{
  g_set_error_literal (error, PDM_ERROR, PDM_ERROR_CANCELLED, _("The report was cancelled"));
  return FALSE;
}

/* A statement interrupted by the progress handler fails too: then the
 * cancellation is what happened. */
static gboolean
db_failed (Run     *run,
           GError **error)
{
  if (g_cancellable_is_cancelled (run->cancellable))
    return set_cancelled (error);

  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               /* Translators: %s is SQLite's reason */
               _("The database failed: %s"), sqlite3_errmsg (run->db));
  return FALSE;
}

/* @sql with the training's id bound to ?1. */
static sqlite3_stmt *
prepare (Run         *run,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (run->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_failed (run, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_text (stmt, 1, run->report->training_id, -1, SQLITE_STATIC);

  return stmt;
}

/* Finalizes @stmt after its last sqlite3_step() gave @rc. */
static gboolean
finish (Run           *run,
        sqlite3_stmt  *stmt,
        int            rc,
        GError       **error)
{
  gboolean ok = rc == SQLITE_DONE || db_failed (run, error);

  sqlite3_finalize (stmt);
  return ok;
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gpointer
index_to_pointer (guint index)
{
  return GUINT_TO_POINTER (index + 1);
}

/* Looks @key up in a table of index + 1; FALSE when it is not there. */
static gboolean
lookup_index (GHashTable *table,
              const char *key,
              guint      *out_index)
{
  guint stored = key != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (table, key)) : 0;

  if (stored == 0)
    return FALSE;

  *out_index = stored - 1;
  return TRUE;
}

static gboolean
read_training (Run     *run,
               GError **error)
{
  PdmTrainingReport *report = run->report;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (run,
                  "SELECT title, start_date, end_date, venue, organiser FROM training "
                  "WHERE id = ?1 AND deleted = 0",
                  error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      report->title = column_text (stmt, 0);
      report->start_date = column_text (stmt, 1);
      report->end_date = column_text (stmt, 2);
      report->venue = column_text (stmt, 3);
      report->organiser = column_text (stmt, 4);
      rc = SQLITE_DONE;
    }
  else if (rc == SQLITE_DONE)
    {
      sqlite3_finalize (stmt);
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_NOT_FOUND,
                           _("The training is not in the database, or was deleted"));
      return FALSE;
    }

  return finish (run, stmt, rc, error);
}

static gboolean
read_sessions (Run     *run,
               GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* The order of pdm_training_list_sessions(). */
  stmt = prepare (run,
                  "SELECT id, topic, speaker, institution, session_date, start_time "
                  "FROM training_session WHERE training_id = ?1 AND deleted = 0 "
                  "ORDER BY position IS NULL, position, session_date, start_time, id",
                  error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdmTrainingReportSession *session = g_new0 (PdmTrainingReportSession, 1);

      session->id = column_text (stmt, 0);
      session->topic = column_text (stmt, 1);
      session->speaker = column_text (stmt, 2);
      session->institution = column_text (stmt, 3);
      session->session_date = column_text (stmt, 4);
      session->start_time = column_text (stmt, 5);
      g_hash_table_insert (run->sessions, session->id,
                           index_to_pointer (run->report->sessions->len));
      g_ptr_array_add (run->report->sessions, session);
    }

  return finish (run, stmt, rc, error);
}

static PdmTrainingReportKelurahan *
kelurahan_new (const char *code,
               const char *name,
               const char *kecamatan_name,
               guint       n_sessions)
{
  PdmTrainingReportKelurahan *kelurahan = g_new0 (PdmTrainingReportKelurahan, 1);

  kelurahan->code = g_strdup (code);
  kelurahan->name = g_strdup (name);
  kelurahan->kecamatan_name = g_strdup (kecamatan_name);
  kelurahan->present = g_new0 (guint, MAX (n_sessions, 1));

  return kelurahan;
}

static gboolean
read_kelurahan (Run     *run,
                GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (run,
                  "SELECT k.code, k.name, c.name FROM region k "
                  "LEFT JOIN region c ON c.code = k.parent_code "
                  "WHERE k.level = 'kelurahan' ORDER BY k.code",
                  error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdmTrainingReportKelurahan *kelurahan;

      kelurahan = kelurahan_new ((const char *) sqlite3_column_text (stmt, 0),
                                 (const char *) sqlite3_column_text (stmt, 1),
                                 (const char *) sqlite3_column_text (stmt, 2),
                                 run->report->sessions->len);
      g_hash_table_insert (run->kelurahan, kelurahan->code, kelurahan);
      g_ptr_array_add (run->report->kelurahan, kelurahan);
    }

  return finish (run, stmt, rc, error);
}

static gboolean
read_participants (Run     *run,
                   GError **error)
{
  PdmTrainingReportKelurahan *other = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* By name, those this device has no name for last. */
  stmt = prepare (run,
                  "SELECT p.id, v.full_name, p.kelurahan_code, r.name FROM participant p "
                  "LEFT JOIN volunteer v ON v.id = p.volunteer_id "
                  "LEFT JOIN region r ON r.code = p.kelurahan_code AND r.level = 'kelurahan' "
                  "WHERE p.training_id = ?1 AND p.deleted = 0 "
                  "ORDER BY v.full_name IS NULL, v.full_name COLLATE NOCASE, p.id",
                  error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdmTrainingReportParticipant *participant = g_new0 (PdmTrainingReportParticipant, 1);
      PdmTrainingReportKelurahan *kelurahan;

      participant->participant_id = column_text (stmt, 0);
      participant->full_name = column_text (stmt, 1);
      participant->kelurahan_code = column_text (stmt, 2);
      participant->kelurahan_name = column_text (stmt, 3);
      participant->pre_score = participant->pre_max = participant->pre_percent = NAN;
      participant->post_score = participant->post_max = participant->post_percent = NAN;
      participant->gain = participant->normalized_gain = NAN;
      participant->gain_category = PDM_GAIN_UNDEFINED;

      kelurahan = participant->kelurahan_code != NULL
                  ? g_hash_table_lookup (run->kelurahan, participant->kelurahan_code)
                  : NULL;
      if (kelurahan == NULL)
        {
          if (other == NULL)
            other = kelurahan_new (NULL, _("Other or unknown kelurahan"), NULL,
                                   run->report->sessions->len);
          kelurahan = other;
        }
      kelurahan->n_participants++;

      g_hash_table_insert (run->participants, participant->participant_id,
                           index_to_pointer (run->report->participants->len));
      g_ptr_array_add (run->participant_kelurahan, kelurahan);
      g_ptr_array_add (run->report->participants, participant);
    }

  /* After the kelurahan of the list, and only when needed. */
  if (other != NULL)
    g_ptr_array_add (run->report->kelurahan, other);

  return finish (run, stmt, rc, error);
}

static gboolean
read_attendance (Run     *run,
                 GError **error)
{
  PdmTrainingReport *report = run->report;
  guint n_sessions = report->sessions->len;
  g_autofree guint8 *present = g_new0 (guint8, MAX (report->participants->len * n_sessions, 1));
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (run,
                  "SELECT a.session_id, a.participant_id FROM attendance a "
                  "JOIN training_session s ON s.id = a.session_id "
                  "WHERE s.training_id = ?1 AND s.deleted = 0 AND a.present = 1 "
                  "  AND a.deleted = 0",
                  error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint session, participant;

      if (lookup_index (run->sessions, (const char *) sqlite3_column_text (stmt, 0), &session) &&
          lookup_index (run->participants, (const char *) sqlite3_column_text (stmt, 1),
                        &participant))
        present[participant * n_sessions + session] = 1;
    }
  if (!finish (run, stmt, rc, error))
    return FALSE;

  for (guint p = 0; p < report->participants->len; p++)
    {
      PdmTrainingReportParticipant *participant = g_ptr_array_index (report->participants, p);
      PdmTrainingReportKelurahan *kelurahan = g_ptr_array_index (run->participant_kelurahan, p);

      for (guint s = 0; s < n_sessions; s++)
        {
          PdmTrainingReportSession *session = g_ptr_array_index (report->sessions, s);

          if (!present[p * n_sessions + s])
            continue;
          participant->n_sessions_attended++;
          session->n_present++;
          kelurahan->present[s]++;
        }

      if (participant->n_sessions_attended > 0)
        kelurahan->n_any_session++;
      if (n_sessions > 0 && participant->n_sessions_attended == n_sessions)
        kelurahan->n_all_sessions++;
    }

  return TRUE;
}

static gboolean
has_skip_logic (PdmForm *form)
{
  for (guint s = 0; s < pdm_form_get_n_sections (form); s++)
    if (pdm_form_section_get_relevant (pdm_form_get_section (form, s)) != NULL)
      return TRUE;

  for (guint q = 0; q < pdm_form_get_n_questions (form); q++)
    if (pdm_form_question_get_relevant (pdm_form_get_question (form, q)) != NULL)
      return TRUE;

  return FALSE;
}

/* The versions that the training's responses answered, and every version
 * of the two tests (the newest names the items). */
static gboolean
read_forms (Run     *run,
            GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (run,
                  "SELECT f.id, f.form_key, f.kind, f.definition FROM form f "
                  "WHERE f.id IN (SELECT r.form_id FROM response r "
                  "               WHERE r.training_id = ?1 AND r.deleted = 0) "
                  "   OR (f.deleted = 0 AND f.form_key IN (?2, ?3)) "
                  "ORDER BY f.form_key, f.version",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 2, run->pre_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, run->post_key, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FormEntry *entry = g_new0 (FormEntry, 1);
      const char *definition = (const char *) sqlite3_column_text (stmt, 3);
      const char *kind = (const char *) sqlite3_column_text (stmt, 2);
      g_autoptr(GError) local_error = NULL;

      entry->key = column_text (stmt, 1);
      g_hash_table_insert (run->forms, column_text (stmt, 0), entry);

      if (definition != NULL)
        entry->form = pdm_form_new_from_string (definition, -1, &local_error);
      if (entry->form == NULL)
        {
          /* A version this build cannot read (made by a newer one): its
           * responses are counted as unreadable, the rest of the report
           * still stands. */
          g_debug ("Form %s is left out: %s", entry->key,
                   local_error != NULL ? local_error->message : "no definition");
          continue;
        }

      if (g_strcmp0 (entry->key, run->pre_key) == 0)
        entry->role = ROLE_PRE;
      else if (g_strcmp0 (entry->key, run->post_key) == 0)
        entry->role = ROLE_POST;
      else if (g_strcmp0 (kind, "evaluation") == 0)
        entry->role = ROLE_EVALUATION;
      entry->skip_logic = has_skip_logic (entry->form);

      /* Ordered by version: the last one read is the newest. */
      g_hash_table_insert (run->templates, entry->key, entry);
    }

  return finish (run, stmt, rc, error);
}

/* The newest version of the test @key, which must be a test. */
static PdmForm *
get_test (Run         *run,
          const char  *key,
          GError     **error)
{
  FormEntry *entry = g_hash_table_lookup (run->templates, key);

  if (entry == NULL)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND,
                   /* Translators: %s is a form's key, such as psm-basic-pretest */
                   _("There is no form “%s”"), key);
      return NULL;
    }
  if (g_strcmp0 (pdm_form_get_kind (entry->form), "test") != 0)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   /* Translators: %s is a form's key, such as speaker-evaluation */
                   _("The form “%s” is not a test"), key);
      return NULL;
    }

  return entry->form;
}

static void
add_items (Run     *run,
           PdmForm *form)
{
  for (guint q = 0; q < pdm_form_get_n_questions (form); q++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, q);
      const char *id = pdm_form_question_get_id (question);
      PdmTrainingReportItem *item;

      if (!pdm_form_question_is_scored (question) || g_hash_table_contains (run->items, id))
        continue;

      item = g_new0 (PdmTrainingReportItem, 1);
      item->question_id = g_strdup (id);
      item->label = g_strdup (pdm_form_question_get_label (question));
      g_hash_table_insert (run->items, item->question_id,
                           index_to_pointer (run->report->items->len));
      g_ptr_array_add (run->report->items, item);
    }
}

static gboolean
set_up_tests (Run     *run,
              GError **error)
{
  PdmTrainingReport *report = run->report;
  PdmForm *pre, *post;

  if ((pre = get_test (run, run->pre_key, error)) == NULL ||
      (post = get_test (run, run->post_key, error)) == NULL)
    return FALSE;

  report->pre_test_title = g_strdup (pdm_form_get_title (pre));
  report->post_test_title = g_strdup (pdm_form_get_title (post));
  report->post_test_max = pdm_form_get_max_score (post);
  report->summary.pre_pass_threshold = pdm_form_get_pass_threshold (pre);
  report->summary.post_pass_threshold = pdm_form_get_pass_threshold (post);

  add_items (run, pre);
  add_items (run, post);

  return TRUE;
}

/* The position of the Likert question @id among those of @form, or
 * G_MAXUINT. */
static guint
criterion_index (PdmForm    *form,
                 const char *id)
{
  guint index = 0;

  for (guint q = 0; q < pdm_form_get_n_questions (form); q++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, q);

      if (pdm_form_question_get_question_type (question) != PDM_QUESTION_LIKERT)
        continue;
      if (g_str_equal (pdm_form_question_get_id (question), id))
        return index;
      index++;
    }

  return G_MAXUINT;
}

/* Where the answers of each version go, worked out once per version rather
 * than once per response. */
static void
link_forms (Run *run)
{
  GHashTableIter iter;
  FormEntry *entry;

  g_hash_table_iter_init (&iter, run->forms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      FormEntry *template = g_hash_table_lookup (run->templates, entry->key);

      if (entry->form == NULL || entry->role == ROLE_OTHER)
        continue;

      entry->links = g_array_new (FALSE, FALSE, sizeof (Link));
      for (guint q = 0; q < pdm_form_get_n_questions (entry->form); q++)
        {
          PdmFormQuestion *question = pdm_form_get_question (entry->form, q);
          const char *id = pdm_form_question_get_id (question);
          PdmQuestionType type = pdm_form_question_get_question_type (question);
          Link link = { question, G_MAXUINT };

          if (entry->role != ROLE_EVALUATION)
            {
              if (!pdm_form_question_is_scored (question) ||
                  !lookup_index (run->items, id, &link.index))
                continue;
            }
          else if (type == PDM_QUESTION_LIKERT)
            {
              link.index = criterion_index (template->form, id);
              if (link.index == G_MAXUINT)
                continue;
            }
          else if (type == PDM_QUESTION_LONG_TEXT)
            {
              link.index = SUGGESTION;
            }
          else
            {
              continue;
            }

          g_array_append_val (entry->links, link);
        }
    }
}

static PdmTrainingReportEvaluation *
evaluation_new (FormEntry                      *template,
                const PdmTrainingReportSession *session)
{
  PdmTrainingReportEvaluation *evaluation = g_new0 (PdmTrainingReportEvaluation, 1);
  PdmForm *form = template->form;

  evaluation->form_key = g_strdup (template->key);
  evaluation->form_title = g_strdup (pdm_form_get_title (form));
  evaluation->session = session;
  evaluation->mean = NAN;
  evaluation->criteria = g_ptr_array_new_with_free_func ((GDestroyNotify) criterion_free);
  evaluation->suggestions = g_ptr_array_new_with_free_func (g_free);

  for (guint q = 0; q < pdm_form_get_n_questions (form); q++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, q);
      PdmTrainingReportCriterion *criterion;
      const PdmFormOption *options;
      guint n_options;

      if (pdm_form_question_get_question_type (question) != PDM_QUESTION_LIKERT)
        continue;

      criterion = g_new0 (PdmTrainingReportCriterion, 1);
      criterion->question_id = g_strdup (pdm_form_question_get_id (question));
      criterion->label = g_strdup (pdm_form_question_get_label (question));
      criterion->mean = NAN;
      criterion->points = g_array_new (FALSE, TRUE, sizeof (PdmTrainingReportPoint));
      g_array_set_clear_func (criterion->points, point_clear);

      options = pdm_form_question_get_options (question, &n_options);
      for (guint o = 0; o < n_options; o++)
        {
          PdmTrainingReportPoint point = { options[o].number, g_strdup (options[o].label), 0 };

          g_array_append_val (criterion->points, point);
          evaluation->scale_max = MAX (evaluation->scale_max, options[o].number);
        }
      g_ptr_array_add (evaluation->criteria, criterion);
    }

  return evaluation;
}

static char *
evaluation_key (const char *form_key,
                const char *session_id)
{
  return g_strconcat (form_key, "\n", session_id, NULL);
}

/* The group of @entry's form and @session, made when first needed. */
static PdmTrainingReportEvaluation *
get_evaluation (Run                            *run,
                FormEntry                      *entry,
                const PdmTrainingReportSession *session)
{
  g_autofree char *key = evaluation_key (entry->key, session != NULL ? session->id : NULL);
  PdmTrainingReportEvaluation *evaluation = g_hash_table_lookup (run->evaluations, key);
  FormEntry *template = g_hash_table_lookup (run->templates, entry->key);

  if (evaluation == NULL)
    {
      evaluation = evaluation_new (template, session);
      g_hash_table_insert (run->evaluations, g_steal_pointer (&key), evaluation);
      g_hash_table_insert (session != NULL ? run->session_keys : run->overall_keys,
                           template->key, template);
    }

  return evaluation;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
counts (FormEntry       *entry,
        PdmFormQuestion *question,
        JsonObject      *answers)
{
  return !entry->skip_logic || pdm_form_question_is_relevant (entry->form, question, answers);
}

/* A response that counts so far: the latest of its form key, participant
 * and session read up to now. */
typedef struct
{
  FormEntry                    *entry;
  PdmTrainingReportParticipant *participant;  /* NULL when anonymous */
  PdmTrainingReportSession     *session;      /* NULL without one */
  char                         *answers;
  gboolean                      has_score;
  double                        score;
  double                        max;
  gboolean                      superseded;   /* by a later one */
} Pending;

static void
pending_clear (gpointer data)
{
  g_free (((Pending *) data)->answers);
}

static void
tally_test (Run        *run,
            Pending    *pending,
            JsonObject *answers)
{
  PdmTrainingReportParticipant *participant = pending->participant;
  FormEntry *entry = pending->entry;
  PdmTrainingTestResult result;
  double score, max, percent;

  /* A test belongs to a participant; an anonymous one says nothing. */
  if (participant == NULL)
    return;

  /* As submitted: what the participant was told. */
  if (pending->has_score)
    {
      score = pending->score;
      max = pending->max;
    }
  else
    {
      pdm_form_score (entry->form, answers, &score, &max);
    }
  percent = pdm_score_percent (score, max);

  if (!pdm_form_has_pass_threshold (entry->form))
    result = PDM_TRAINING_TEST_NO_THRESHOLD;
  else
    result = pdm_form_passes (entry->form, percent) ? PDM_TRAINING_TEST_PASSED
                                                    : PDM_TRAINING_TEST_FAILED;

  if (entry->role == ROLE_PRE)
    {
      participant->pre_score = score;
      participant->pre_max = max;
      participant->pre_percent = percent;
      participant->pre_result = result;
    }
  else
    {
      participant->post_score = score;
      participant->post_max = max;
      participant->post_percent = percent;
      participant->post_result = result;
    }

  for (guint l = 0; l < entry->links->len; l++)
    {
      Link *link = &g_array_index (entry->links, Link, l);
      PdmTrainingReportItem *item = g_ptr_array_index (run->report->items, link->index);
      JsonNode *answer;
      gboolean correct;

      if (!counts (entry, link->question, answers))
        continue;

      answer = json_object_get_member (answers, pdm_form_question_get_id (link->question));
      correct = pdm_form_question_is_correct (link->question, answer);
      if (entry->role == ROLE_PRE)
        {
          item->n_pre++;
          item->n_pre_correct += correct;
        }
      else
        {
          item->n_post++;
          item->n_post_correct += correct;
        }
    }
}

static void
tally_evaluation (Run        *run,
                  Pending    *pending,
                  JsonObject *answers)
{
  FormEntry *entry = pending->entry;
  PdmTrainingReportEvaluation *evaluation = get_evaluation (run, entry, pending->session);

  evaluation->n_responses++;

  for (guint l = 0; l < entry->links->len; l++)
    {
      Link *link = &g_array_index (entry->links, Link, l);
      JsonNode *answer = json_object_get_member (answers,
                                                 pdm_form_question_get_id (link->question));
      PdmTrainingReportCriterion *criterion;
      double value;

      if (pdm_form_answer_is_empty (answer) || !counts (entry, link->question, answers))
        continue;

      /* A blank suggestion is no answer (pdm_form_answer_is_empty()). */
      if (link->index == SUGGESTION)
        {
          if (JSON_NODE_HOLDS_VALUE (answer) && json_node_get_value_type (answer) == G_TYPE_STRING)
            g_ptr_array_add (evaluation->suggestions,
                             g_strstrip (g_strdup (json_node_get_string (answer))));
          continue;
        }

      if (!is_number (answer))
        continue;
      value = json_node_get_double (answer);
      criterion = g_ptr_array_index (evaluation->criteria, link->index);
      /* The mean holds the sum until finish_evaluations(). */
      criterion->mean = criterion->n_answers == 0 ? value : criterion->mean + value;
      criterion->n_answers++;
      for (guint p = 0; p < criterion->points->len; p++)
        {
          PdmTrainingReportPoint *point = &g_array_index (criterion->points,
                                                          PdmTrainingReportPoint, p);

          if (point->value == value)
            point->count++;
        }
    }
}

/* Reads a row of the responses into @pendings, superseding the earlier
 * response of the same form key, participant and session; FALSE when the
 * row is left out. */
static gboolean
add_pending (Run          *run,
             sqlite3_stmt *stmt,
             GArray       *pendings,
             GHashTable   *latest)
{
  const char *form_id = (const char *) sqlite3_column_text (stmt, 0);
  const char *participant_id = (const char *) sqlite3_column_text (stmt, 1);
  const char *session_id = (const char *) sqlite3_column_text (stmt, 2);
  const char *answers = (const char *) sqlite3_column_text (stmt, 3);
  FormEntry *entry = form_id != NULL ? g_hash_table_lookup (run->forms, form_id) : NULL;
  Pending pending = { entry, NULL, NULL, NULL, FALSE, NAN, NAN, FALSE };
  guint index;

  if (entry != NULL && entry->form != NULL && entry->role == ROLE_OTHER)
    return FALSE;
  if (entry == NULL || entry->form == NULL || answers == NULL)
    {
      run->report->summary.n_unreadable++;
      return FALSE;
    }

  /* A removed participant's responses, and the evaluations of a deleted
   * session, leave the report with them. */
  if (participant_id != NULL)
    {
      if (!lookup_index (run->participants, participant_id, &index))
        return FALSE;
      pending.participant = g_ptr_array_index (run->report->participants, index);
    }
  if (session_id != NULL)
    {
      if (!lookup_index (run->sessions, session_id, &index))
        return FALSE;
      pending.session = g_ptr_array_index (run->report->sessions, index);
    }

  if (participant_id != NULL)
    {
      char *key = g_strconcat (entry->key, "\n", participant_id, "\n", session_id, NULL);
      guint earlier;

      if (lookup_index (latest, key, &earlier))
        g_array_index (pendings, Pending, earlier).superseded = TRUE;
      g_hash_table_replace (latest, key, index_to_pointer (pendings->len));
    }

  pending.answers = g_strdup (answers);
  pending.has_score = sqlite3_column_type (stmt, 4) != SQLITE_NULL &&
                      sqlite3_column_type (stmt, 5) != SQLITE_NULL;
  pending.score = sqlite3_column_double (stmt, 4);
  pending.max = sqlite3_column_double (stmt, 5);
  g_array_append_val (pendings, pending);

  return TRUE;
}

/* Every response of the training, read in the order submitted (as a
 * time, so offsets compare right), the latest of each form key,
 * participant and session kept, then tallied in that order. Keeping the
 * latest here is cheaper than a window function in SQL, which sorts twice. */
static gboolean
read_responses (Run     *run,
                GError **error)
{
  g_autoptr(GArray) pendings = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (pendings, pending_clear);

  stmt = prepare (run,
                  "SELECT form_id, participant_id, session_id, answers, score, max_score "
                  "FROM response WHERE training_id = ?1 AND deleted = 0 "
                  "ORDER BY julianday (submitted_at), id",
                  error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_pending (run, stmt, pendings, latest);
  if (!finish (run, stmt, rc, error))
    return FALSE;

  for (guint i = 0; i < pendings->len; i++)
    {
      Pending *pending = &g_array_index (pendings, Pending, i);
      JsonNode *root;
      JsonObject *answers;

      if (i % CANCEL_CHECK_ROWS == 0 && g_cancellable_is_cancelled (run->cancellable))
        return set_cancelled (error);
      if (pending->superseded)
        continue;

      /* One parser for all: pdm_form_answers_new_from_string() would make
       * one per response. */
      if (!json_parser_load_from_data (parser, pending->answers, -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          run->report->summary.n_unreadable++;
          continue;
        }
      answers = json_node_get_object (root);

      if (pending->entry->role == ROLE_EVALUATION)
        tally_evaluation (run, pending, answers);
      else
        tally_test (run, pending, answers);
    }

  return TRUE;
}

static double
mean_or_nan (double sum,
             guint  n)
{
  return n > 0 ? sum / n : NAN;
}

static void
finish_participants (Run *run)
{
  PdmTrainingReportSummary *summary = &run->report->summary;
  double sum_pre = 0, sum_post = 0, sum_gain = 0, sum_normalized = 0;
  double sum_both_pre = 0, sum_both_post = 0;

  summary->n_participants = run->report->participants->len;

  for (guint i = 0; i < run->report->participants->len; i++)
    {
      PdmTrainingReportParticipant *participant = g_ptr_array_index (run->report->participants, i);
      gboolean pre = !isnan (participant->pre_percent);
      gboolean post = !isnan (participant->post_percent);

      if (pre)
        {
          summary->n_pre++;
          sum_pre += participant->pre_percent;
          summary->n_pre_passed += participant->pre_result == PDM_TRAINING_TEST_PASSED;
        }
      if (post)
        {
          summary->n_post++;
          sum_post += participant->post_percent;
          summary->n_post_passed += participant->post_result == PDM_TRAINING_TEST_PASSED;
        }
      if (!pre || !post)
        continue;

      participant->gain = pdm_gain_absolute (participant->pre_percent, participant->post_percent);
      participant->normalized_gain = pdm_gain_normalized (participant->pre_percent,
                                                          participant->post_percent, 100);
      participant->gain_category = pdm_gain_categorize (participant->normalized_gain);

      summary->n_both++;
      sum_both_pre += participant->pre_percent;
      sum_both_post += participant->post_percent;
      sum_gain += participant->gain;
      summary->n_gain_category[participant->gain_category]++;
      if (!isnan (participant->normalized_gain))
        {
          summary->n_normalized_gain++;
          sum_normalized += participant->normalized_gain;
        }
    }

  summary->mean_pre_percent = mean_or_nan (sum_pre, summary->n_pre);
  summary->mean_post_percent = mean_or_nan (sum_post, summary->n_post);
  summary->mean_gain = mean_or_nan (sum_gain, summary->n_both);
  summary->mean_normalized_gain = mean_or_nan (sum_normalized, summary->n_normalized_gain);
  summary->class_normalized_gain = summary->n_both > 0
                                   ? pdm_gain_normalized (sum_both_pre / summary->n_both,
                                                          sum_both_post / summary->n_both, 100)
                                   : NAN;
}

static void
finish_items (Run *run)
{
  for (guint i = 0; i < run->report->items->len; i++)
    {
      PdmTrainingReportItem *item = g_ptr_array_index (run->report->items, i);
      double pre = pdm_score_percent (item->n_pre_correct, item->n_pre);
      double post = pdm_score_percent (item->n_post_correct, item->n_post);

      item->pre_percent = pre;
      item->post_percent = post;
      item->difference = post - pre;
      item->flag = PDM_TRAINING_ITEM_OK;
      if (isnan (item->difference))
        continue;

      if (post < pre - 1e-9)
        item->flag = PDM_TRAINING_ITEM_DECLINE;
      else if (pre < PDM_TRAINING_ITEM_HARD_PERCENT && post < PDM_TRAINING_ITEM_HARD_PERCENT)
        item->flag = PDM_TRAINING_ITEM_TOO_HARD;
      else if (pre >= PDM_TRAINING_ITEM_EASY_PERCENT && post >= PDM_TRAINING_ITEM_EASY_PERCENT)
        item->flag = PDM_TRAINING_ITEM_TOO_EASY;
    }
}

static void
finish_evaluation (PdmTrainingReportEvaluation *evaluation)
{
  double sum = 0;
  guint n = 0;

  for (guint c = 0; c < evaluation->criteria->len; c++)
    {
      PdmTrainingReportCriterion *criterion = g_ptr_array_index (evaluation->criteria, c);

      if (criterion->n_answers == 0)
        continue;
      sum += criterion->mean;
      n += criterion->n_answers;
      criterion->mean /= criterion->n_answers;
    }

  evaluation->mean = mean_or_nan (sum, n);
}

static int
compare_titles (gconstpointer a,
                gconstpointer b)
{
  const FormEntry *entry_a = *(const FormEntry * const *) a;
  const FormEntry *entry_b = *(const FormEntry * const *) b;
  int cmp = g_utf8_collate (pdm_form_get_title (entry_a->form), pdm_form_get_title (entry_b->form));

  return cmp != 0 ? cmp : strcmp (entry_a->key, entry_b->key);
}

static GPtrArray *
sorted_forms (GHashTable *keys)
{
  GPtrArray *forms = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer entry;

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    g_ptr_array_add (forms, entry);
  g_ptr_array_sort (forms, compare_titles);

  return forms;
}

/* Every session in order, each with a group per form that evaluates
 * sessions (empty where nobody evaluated it yet), then the evaluations of
 * the whole training. */
static void
finish_evaluations (Run *run)
{
  PdmTrainingReport *report = run->report;
  g_autoptr(GPtrArray) session_forms = sorted_forms (run->session_keys);
  g_autoptr(GPtrArray) overall_forms = sorted_forms (run->overall_keys);

  for (guint s = 0; s < report->sessions->len; s++)
    for (guint f = 0; f < session_forms->len; f++)
      {
        PdmTrainingReportEvaluation *evaluation;

        evaluation = get_evaluation (run, g_ptr_array_index (session_forms, f),
                                     g_ptr_array_index (report->sessions, s));
        g_ptr_array_add (report->evaluations, evaluation);
      }

  for (guint f = 0; f < overall_forms->len; f++)
    g_ptr_array_add (report->evaluations,
                     get_evaluation (run, g_ptr_array_index (overall_forms, f), NULL));

  /* The report owns them now. */
  g_hash_table_steal_all (run->evaluations);

  for (guint e = 0; e < report->evaluations->len; e++)
    finish_evaluation (g_ptr_array_index (report->evaluations, e));
}

static gboolean
compute (Run     *run,
         GError **error)
{
  if (!read_training (run, error) ||
      !read_sessions (run, error) ||
      !read_kelurahan (run, error) ||
      !read_participants (run, error) ||
      !read_attendance (run, error) ||
      !read_forms (run, error) ||
      !set_up_tests (run, error))
    return FALSE;

  link_forms (run);

  if (!read_responses (run, error))
    return FALSE;

  finish_participants (run);
  finish_items (run);
  finish_evaluations (run);

  return TRUE;
}

static gboolean
exec (Run        *run,
      const char *sql,
      GError    **error)
{
  return sqlite3_exec (run->db, sql, NULL, NULL, NULL) == SQLITE_OK || db_failed (run, error);
}

/**
 * pdm_training_report_compute:
 * @database: the replica
 * @training_id: the training
 * @pre_test_key: (nullable): the form key of the pre-test, or %NULL for
 *   %PDM_TRAINING_REPORT_PRE_TEST
 * @post_test_key: (nullable): the form key of the post-test, or %NULL for
 *   %PDM_TRAINING_REPORT_POST_TEST
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the figures of the training's report from one snapshot of the
 * database (a savepoint, which nests in a caller's transaction). Fails
 * with %PDM_ERROR_NOT_FOUND for a training that is not there or deleted
 * and for a test key without a form, %PDM_ERROR_INVALID_DATA for a key
 * whose form is not a test, %PDM_ERROR_CANCELLED when cancelled.
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
PdmTrainingReport *
pdm_training_report_compute (PdmDatabase   *database,
                             const char    *training_id,
                             const char    *pre_test_key,
                             const char    *post_test_key,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_auto(Run) run = { 0, };
  gboolean ok;

  g_return_val_if_fail (PDM_IS_DATABASE (database), NULL);
  g_return_val_if_fail (training_id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  run.db = pdm_database_get_handle (database);
  run.cancellable = cancellable;
  run.report = report_new (training_id);
  run.pre_key = pre_test_key != NULL ? pre_test_key : PDM_TRAINING_REPORT_PRE_TEST;
  run.post_key = post_test_key != NULL ? post_test_key : PDM_TRAINING_REPORT_POST_TEST;
  run.forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) form_entry_free);
  run.templates = g_hash_table_new (g_str_hash, g_str_equal);
  run.items = g_hash_table_new (g_str_hash, g_str_equal);
  run.sessions = g_hash_table_new (g_str_hash, g_str_equal);
  run.participants = g_hash_table_new (g_str_hash, g_str_equal);
  run.kelurahan = g_hash_table_new (g_str_hash, g_str_equal);
  run.participant_kelurahan = g_ptr_array_new ();
  run.evaluations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) evaluation_free);
  run.session_keys = g_hash_table_new (g_str_hash, g_str_equal);
  run.overall_keys = g_hash_table_new (g_str_hash, g_str_equal);

  if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
    {
      set_cancelled (error);
      return NULL;
    }

  if (!exec (&run, "SAVEPOINT pdm_training_report", error))
    return NULL;
  if (cancellable != NULL)
    sqlite3_progress_handler (run.db, CANCEL_CHECK_STEPS, on_sqlite_progress, cancellable);

  ok = compute (&run, error);

  if (cancellable != NULL)
    sqlite3_progress_handler (run.db, 0, NULL, NULL);
  /* Only read: releasing it ends the snapshot either way. */
  sqlite3_exec (run.db, "RELEASE pdm_training_report", NULL, NULL, NULL);

  if (!ok)
    return NULL;

  return g_steal_pointer (&run.report);
}

typedef struct
{
  char *path;
  char *training_id;
  char *pre_test_key;
  char *post_test_key;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->path);
  g_free (data->training_id);
  g_free (data->pre_test_key);
  g_free (data->post_test_key);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  PdmTrainingReport *report = NULL;

  /* Its own connection: SQLite handles are not shared between threads, and
   * in WAL mode the UI keeps writing while the report reads. */
  database = pdm_database_open (data->path, &error);
  if (database != NULL)
    report = pdm_training_report_compute (database, data->training_id, data->pre_test_key,
                                          data->post_test_key, cancellable, &error);
  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, report, (GDestroyNotify) pdm_training_report_unref);
}

/**
 * pdm_training_report_compute_async:
 * @database: the replica
 * @training_id: the training
 * @pre_test_key: (nullable): as for pdm_training_report_compute()
 * @post_test_key: (nullable): as for pdm_training_report_compute()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context when done
 * @user_data: data for @callback
 *
 * pdm_training_report_compute() in a worker thread, on a connection of
 * its own to @database's file. Once @cancellable is cancelled, the finish
 * gives %G_IO_ERROR_CANCELLED, as GIO's async calls do, even when the
 * worker had finished.
 */
void
pdm_training_report_compute_async (PdmDatabase          *database,
                                   const char           *training_id,
                                   const char           *pre_test_key,
                                   const char           *post_test_key,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (PDM_IS_DATABASE (database));
  g_return_if_fail (training_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (TaskData, 1);
  data->path = g_strdup (pdm_database_get_path (database));
  data->training_id = g_strdup (training_id);
  data->pre_test_key = g_strdup (pre_test_key);
  data->post_test_key = g_strdup (post_test_key);

  task = g_task_new (database, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdm_training_report_compute_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * pdm_training_report_compute_finish:
 * @database: the #PdmDatabase given to the async call
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
PdmTrainingReport *
pdm_training_report_compute_finish (PdmDatabase   *database,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, database), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pdm_training_report_compute_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- accessors ------------------------------------------------------------ */

const char *
pdm_training_report_get_training_id (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->training_id;
}

const char *
pdm_training_report_get_title (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->title;
}

const char *
pdm_training_report_get_start_date (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->start_date;
}

const char *
pdm_training_report_get_end_date (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->end_date;
}

const char *
pdm_training_report_get_venue (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->venue;
}

const char *
pdm_training_report_get_organiser (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->organiser;
}

/**
 * pdm_training_report_get_participants:
 *
 * Returns: (transfer none) (element-type PdmTrainingReportParticipant): the
 *   participants by name
 */
GPtrArray *
pdm_training_report_get_participants (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->participants;
}

const PdmTrainingReportSummary *
pdm_training_report_get_summary (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return &report->summary;
}

/**
 * pdm_training_report_get_items:
 *
 * Returns: (transfer none) (element-type PdmTrainingReportItem): the
 *   scored questions of the tests, in the pre-test's order
 */
GPtrArray *
pdm_training_report_get_items (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->items;
}

/**
 * pdm_training_report_get_sessions:
 *
 * Returns: (transfer none) (element-type PdmTrainingReportSession): the
 *   sessions in their order
 */
GPtrArray *
pdm_training_report_get_sessions (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->sessions;
}

/**
 * pdm_training_report_get_evaluations:
 *
 * Returns: (transfer none) (element-type PdmTrainingReportEvaluation): the
 *   evaluations of each session in session order, then those of the
 *   training as a whole
 */
GPtrArray *
pdm_training_report_get_evaluations (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->evaluations;
}

/**
 * pdm_training_report_get_kelurahan:
 *
 * Returns: (transfer none) (element-type PdmTrainingReportKelurahan): every
 *   kelurahan of the region list by code, then the participants of other
 *   or unknown kelurahan when there are any
 */
GPtrArray *
pdm_training_report_get_kelurahan (PdmTrainingReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return report->kelurahan;
}

/* ---- the document --------------------------------------------------------- */

/* "24 November 2025 – 26 November 2025", or one date. */
static char *
format_dates (const char *start,
              const char *end)
{
  g_autofree char *first = pdm_format_date (start);
  g_autofree char *last = pdm_format_date (end);

  if (first == NULL || last == NULL || g_str_equal (first, last))
    return first != NULL ? g_steal_pointer (&first) : g_steal_pointer (&last);

  /* Translators: a range of dates, "24 November 2025 – 26 November 2025" */
  return g_strdup_printf (_("%s – %s"), first, last);
}

static char *
format_count (guint count)
{
  return pdm_format_number (count);
}

static char *
format_percent (double percent)
{
  return pdm_report_format_value (PDM_REPORT_KIND_PERCENT, 0, percent);
}

static const char *
participant_name (const PdmTrainingReportParticipant *participant)
{
  /* A kelurahan device holds only its own kelurahan's PSM. */
  return participant->full_name != NULL ? participant->full_name
                                         : _("(PSM not on this device)");
}

/* "session 2, Dra. Yusnimar", or the form's title for the whole training. */
static char *
evaluation_subject (PdmTrainingReport                 *report,
                    const PdmTrainingReportEvaluation *evaluation)
{
  const PdmTrainingReportSession *session = evaluation->session;
  const char *name;
  guint number = 0;

  if (session == NULL)
    return g_strdup (evaluation->form_title);

  g_ptr_array_find (report->sessions, session, &number);
  name = session->speaker != NULL ? session->speaker : session->topic;
  if (name == NULL)
    /* Translators: %u is a session's number */
    return g_strdup_printf (_("session %u"), number + 1);

  /* Translators: %u is a session's number, %s its speaker */
  return g_strdup_printf (_("session %u, %s"), number + 1, name);
}

static void
add_paragraph_take (PdmReportSection *section,
                    char             *text)
{
  pdm_report_section_add_paragraph (section, text);
  g_free (text);
}

static void
add_details (PdmReportDoc      *doc,
             PdmTrainingReport *report)
{
  g_autofree char *dates = format_dates (report->start_date, report->end_date);
  g_autofree char *participants = format_count (report->participants->len);
  g_autofree char *sessions = format_count (report->sessions->len);

  pdm_report_doc_add_detail (doc, _("Training"), report->title);
  if (dates != NULL)
    pdm_report_doc_add_detail (doc, _("Date"), dates);
  if (report->venue != NULL)
    pdm_report_doc_add_detail (doc, _("Venue"), report->venue);
  if (report->organiser != NULL)
    pdm_report_doc_add_detail (doc, _("Organiser"), report->organiser);
  pdm_report_doc_add_detail (doc, _("Participants"), participants);
  pdm_report_doc_add_detail (doc, _("Sessions"), sessions);
}

static void
add_test_row (PdmReportTable *table,
              const char     *title,
              guint           n_taken,
              double          mean,
              double          threshold,
              guint           n_passed)
{
  guint row = pdm_report_table_add_row (table);

  pdm_report_table_set_text (table, row, 0, title);
  pdm_report_table_set_value (table, row, 1, n_taken);
  pdm_report_table_set_value (table, row, 2, mean);
  pdm_report_table_set_value (table, row, 3, threshold);
  if (!isnan (threshold))
    {
      pdm_report_table_set_value (table, row, 4, n_passed);
      pdm_report_table_set_value (table, row, 5, pdm_score_percent (n_passed, n_taken));
    }
}

static void
add_summary (PdmReportDoc      *doc,
             PdmTrainingReport *report)
{
  const PdmTrainingReportSummary *summary = &report->summary;
  PdmReportSection *section = pdm_report_doc_add_section (doc, _("Test results"));
  g_autofree char *n = format_count (summary->n_participants);
  g_autofree char *n_pre = format_count (summary->n_pre);
  g_autofree char *n_post = format_count (summary->n_post);
  g_autofree char *n_both = format_count (summary->n_both);
  PdmReportTable *table;

  add_paragraph_take (section,
                      g_strdup_printf (ngettext ("Of %s participant, %s took the pre-test, %s the "
                                                 "post-test and %s both.",
                                                 "Of %s participants, %s took the pre-test, %s the "
                                                 "post-test and %s both.",
                                                 summary->n_participants),
                                       n, n_pre, n_post, n_both));
  if (summary->n_unreadable > 0)
    {
      g_autofree char *unreadable = format_count (summary->n_unreadable);

      add_paragraph_take (section,
                          g_strdup_printf (ngettext ("%s response was left out: its form or "
                                                     "answers cannot be read by this version of "
                                                     "Pendamping.",
                                                     "%s responses were left out: their forms or "
                                                     "answers cannot be read by this version of "
                                                     "Pendamping.",
                                                     summary->n_unreadable),
                                           unreadable));
    }

  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, _("Test"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Participants"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Average score"), PDM_REPORT_KIND_PERCENT, 1);
  pdm_report_table_add_column (table, _("Pass mark"), PDM_REPORT_KIND_PERCENT, 0);
  pdm_report_table_add_column (table, _("Passed"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Share passed"), PDM_REPORT_KIND_PERCENT, 1);
  add_test_row (table, report->pre_test_title, summary->n_pre, summary->mean_pre_percent,
                summary->pre_pass_threshold, summary->n_pre_passed);
  add_test_row (table, report->post_test_title, summary->n_post, summary->mean_post_percent,
                summary->post_pass_threshold, summary->n_post_passed);
}

static const char *
category_label (PdmGainCategory category)
{
  if (category == PDM_GAIN_UNDEFINED)
    return _("None: full marks in the pre-test");

  return pdm_gain_category_to_string (category);
}

static void
add_gain (PdmReportDoc      *doc,
          PdmTrainingReport *report)
{
  static const PdmGainCategory categories[] = {
    PDM_GAIN_HIGH, PDM_GAIN_MEDIUM, PDM_GAIN_LOW, PDM_GAIN_LOSS, PDM_GAIN_UNDEFINED,
  };
  const PdmTrainingReportSummary *summary = &report->summary;
  PdmReportSection *section;
  PdmReportTable *table;

  section = pdm_report_doc_add_section (doc, _("Gain from pre-test to post-test"));

  pdm_report_section_add_paragraph (section,
                                    _("The gain is the post-test score minus the pre-test score, "
                                      "in percentage points. The normalized gain divides it by "
                                      "the room there was to improve, (post − pre) / (100 − pre): "
                                      "high from 0.7, medium from 0.3, low below, a decline "
                                      "below 0 (Hake). A participant with full marks in the "
                                      "pre-test had no room to improve: the normalized gain is "
                                      "shown as “—” and left out of the average."));

  if (summary->n_both == 0)
    {
      pdm_report_section_add_paragraph (section, _("No participant has taken both tests yet."));
      return;
    }

  {
    g_autofree char *gain = pdm_format_decimal (summary->mean_gain, 1);
    g_autofree char *mean = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 2,
                                                     summary->mean_normalized_gain);
    g_autofree char *n = format_count (summary->n_normalized_gain);
    g_autofree char *class_gain = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 2,
                                                           summary->class_normalized_gain);
    PdmGainCategory mean_category = pdm_gain_categorize (summary->mean_normalized_gain);
    PdmGainCategory class_category = pdm_gain_categorize (summary->class_normalized_gain);

    add_paragraph_take (section,
                        /* Translators: %s is a number such as 23,8 */
                        g_strdup_printf (_("Average gain: %s percentage points."), gain));
    add_paragraph_take (section,
                        /* Translators: the first %s is a gain such as 0,52, the second its
                         * category (“medium”), the third a number of participants */
                        g_strdup_printf (ngettext ("Average normalized gain: %s (%s), the mean "
                                                   "of the gain of %s participant.",
                                                   "Average normalized gain: %s (%s), the mean "
                                                   "of the gains of %s participants.",
                                                   summary->n_normalized_gain),
                                         mean, pdm_gain_category_to_string (mean_category), n));
    add_paragraph_take (section,
                        /* Translators: %s is a gain such as 0,50, then its category */
                        g_strdup_printf (_("Normalized gain of the average scores of the class "
                                           "⟨g⟩: %s (%s)."),
                                         class_gain, pdm_gain_category_to_string (class_category)));
  }

  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, _("Normalized gain"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Participants"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Share"), PDM_REPORT_KIND_PERCENT, 1);
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      guint row = pdm_report_table_add_row (table);
      guint count = summary->n_gain_category[categories[i]];

      pdm_report_table_set_text (table, row, 0, category_label (categories[i]));
      pdm_report_table_set_value (table, row, 1, count);
      pdm_report_table_set_value (table, row, 2, pdm_score_percent (count, summary->n_both));
    }
}

static const char *
result_label (PdmTrainingTestResult result)
{
  switch (result)
    {
    case PDM_TRAINING_TEST_PASSED:
      return C_("test result", "Passed");
    case PDM_TRAINING_TEST_FAILED:
      return C_("test result", "Not passed");
    case PDM_TRAINING_TEST_NOT_TAKEN:
    case PDM_TRAINING_TEST_NO_THRESHOLD:
    default:
      return NULL;
    }
}

enum
{
  PARTICIPANT_NUMBER,
  PARTICIPANT_NAME,
  PARTICIPANT_KELURAHAN,
  PARTICIPANT_PRE_SCORE,
  PARTICIPANT_POST_SCORE,
  PARTICIPANT_PRE_PERCENT,
  PARTICIPANT_POST_PERCENT,
  PARTICIPANT_GAIN,
  PARTICIPANT_NORMALIZED_GAIN,
  PARTICIPANT_CATEGORY,
  PARTICIPANT_RESULT,
};

static void
add_participants (PdmReportDoc      *doc,
                  PdmTrainingReport *report)
{
  const PdmTrainingReportSummary *summary = &report->summary;
  PdmReportSection *section = pdm_report_doc_add_section (doc, _("Scores per participant"));
  PdmReportTable *table;

  if (report->post_test_max > 0)
    {
      g_autofree char *max = pdm_format_decimal (report->post_test_max, 0);

      add_paragraph_take (section,
                          /* Translators: %s is a number of points, such as 20 */
                          g_strdup_printf (_("The highest possible score is %s points; the "
                                             "percentages are of the maximum of the test "
                                             "taken."),
                                           max));
    }
  if (!isnan (summary->post_pass_threshold))
    {
      g_autofree char *threshold = format_percent (summary->post_pass_threshold);

      add_paragraph_take (section,
                          /* Translators: %s is a percentage, such as 70% */
                          g_strdup_printf (_("The post-test is passed with a score of at least "
                                             "%s."),
                                           threshold));
    }
  pdm_report_section_add_paragraph (section,
                                    _("When a participant submitted a test more than once, the "
                                      "one submitted last counts. “—” marks a test not taken."));

  if (report->participants->len > 0)
    {
      PdmReportChart *chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_PAIRED);

      pdm_report_chart_set_value_format (chart, PDM_REPORT_KIND_PERCENT, 0);
      pdm_report_chart_set_axis (chart, 100, _("Score (%)"));
      pdm_report_chart_set_category_label (chart, _("Participants"));
      pdm_report_chart_add_series (chart, _("Pre-test"));
      pdm_report_chart_add_series (chart, _("Post-test"));
      for (guint i = 0; i < report->participants->len; i++)
        {
          PdmTrainingReportParticipant *participant = g_ptr_array_index (report->participants, i);
          guint category = pdm_report_chart_add_category (chart, participant_name (participant));

          pdm_report_chart_set_value (chart, 0, category, participant->pre_percent);
          pdm_report_chart_set_value (chart, 1, category, participant->post_percent);
        }
    }

  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, _("No."), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Name"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Kelurahan"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Pre-test"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Post-test"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Pre-test (%)"), PDM_REPORT_KIND_PERCENT, 1);
  pdm_report_table_add_column (table, _("Post-test (%)"), PDM_REPORT_KIND_PERCENT, 1);
  pdm_report_table_add_column (table, _("Gain"), PDM_REPORT_KIND_DECIMAL, 1);
  pdm_report_table_add_column (table, _("Normalized gain"), PDM_REPORT_KIND_DECIMAL, 2);
  pdm_report_table_add_column (table, _("Category"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Result"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_set_column_align (table, PARTICIPANT_NUMBER, PDM_REPORT_ALIGN_CENTER);

  for (guint i = 0; i < report->participants->len; i++)
    {
      PdmTrainingReportParticipant *participant = g_ptr_array_index (report->participants, i);
      guint row = pdm_report_table_add_row (table);

      pdm_report_table_set_value (table, row, PARTICIPANT_NUMBER, i + 1);
      pdm_report_table_set_text (table, row, PARTICIPANT_NAME, participant_name (participant));
      pdm_report_table_set_text (table, row, PARTICIPANT_KELURAHAN,
                                 participant->kelurahan_name != NULL
                                 ? participant->kelurahan_name : participant->kelurahan_code);
      pdm_report_table_set_value (table, row, PARTICIPANT_PRE_SCORE, participant->pre_score);
      pdm_report_table_set_value (table, row, PARTICIPANT_POST_SCORE, participant->post_score);
      pdm_report_table_set_value (table, row, PARTICIPANT_PRE_PERCENT, participant->pre_percent);
      pdm_report_table_set_value (table, row, PARTICIPANT_POST_PERCENT, participant->post_percent);
      pdm_report_table_set_value (table, row, PARTICIPANT_GAIN, participant->gain);
      pdm_report_table_set_value (table, row, PARTICIPANT_NORMALIZED_GAIN,
                                  participant->normalized_gain);
      if (!isnan (participant->gain))
        pdm_report_table_set_text (table, row, PARTICIPANT_CATEGORY,
                                   pdm_gain_category_to_string (participant->gain_category));
      pdm_report_table_set_text (table, row, PARTICIPANT_RESULT,
                                 result_label (participant->post_result));
    }

  pdm_report_table_set_text (table, PDM_REPORT_FOOTER_ROW, PARTICIPANT_NAME, _("Average"));
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, PARTICIPANT_PRE_PERCENT,
                              summary->mean_pre_percent);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, PARTICIPANT_POST_PERCENT,
                              summary->mean_post_percent);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, PARTICIPANT_GAIN, summary->mean_gain);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, PARTICIPANT_NORMALIZED_GAIN,
                              summary->mean_normalized_gain);
}

static const char *
flag_label (PdmTrainingItemFlag flag)
{
  switch (flag)
    {
    case PDM_TRAINING_ITEM_DECLINE:
      return _("Fewer right after the training");
    case PDM_TRAINING_ITEM_TOO_HARD:
      return _("Few right before and after");
    case PDM_TRAINING_ITEM_TOO_EASY:
      return _("Almost all right before and after");
    case PDM_TRAINING_ITEM_OK:
    default:
      return NULL;
    }
}

static void
add_items_section (PdmReportDoc      *doc,
                   PdmTrainingReport *report)
{
  PdmReportSection *section = pdm_report_doc_add_section (doc, _("Correct answers per item"));
  g_autofree char *hard = format_percent (PDM_TRAINING_ITEM_HARD_PERCENT);
  g_autofree char *easy = format_percent (PDM_TRAINING_ITEM_EASY_PERCENT);
  PdmReportTable *table;

  add_paragraph_take (section,
                      /* Translators: both %s are percentages, such as 30% and 90% */
                      g_strdup_printf (_("The share of the participants who answered each item "
                                         "right, in the pre-test and in the post-test. An item is "
                                         "marked when fewer answered it right after the training "
                                         "than before, when less than %s answered it right both "
                                         "times (an unclear question, a wrong key, or a topic not "
                                         "taught), or when at least %s did both times (it asks "
                                         "what everyone knew already)."),
                                       hard, easy));

  if (report->items->len > 0)
    {
      PdmReportChart *chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_BAR);

      pdm_report_chart_set_value_format (chart, PDM_REPORT_KIND_PERCENT, 0);
      pdm_report_chart_set_axis (chart, 100, _("Answered right (%)"));
      pdm_report_chart_set_category_label (chart, _("Item"));
      pdm_report_chart_add_series (chart, _("Pre-test"));
      pdm_report_chart_add_series (chart, _("Post-test"));
      for (guint i = 0; i < report->items->len; i++)
        {
          PdmTrainingReportItem *item = g_ptr_array_index (report->items, i);
          g_autofree char *number = g_strdup_printf ("%u", i + 1);
          guint category = pdm_report_chart_add_category (chart, number);

          pdm_report_chart_set_value (chart, 0, category, item->pre_percent);
          pdm_report_chart_set_value (chart, 1, category, item->post_percent);
        }
    }

  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, _("No."), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Question"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Pre-test"), PDM_REPORT_KIND_PERCENT, 1);
  pdm_report_table_add_column (table, _("Post-test"), PDM_REPORT_KIND_PERCENT, 1);
  pdm_report_table_add_column (table, _("Difference"), PDM_REPORT_KIND_DECIMAL, 1);
  pdm_report_table_add_column (table, _("Note"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_set_column_align (table, 0, PDM_REPORT_ALIGN_CENTER);
  for (guint i = 0; i < report->items->len; i++)
    {
      PdmTrainingReportItem *item = g_ptr_array_index (report->items, i);
      guint row = pdm_report_table_add_row (table);

      pdm_report_table_set_value (table, row, 0, i + 1);
      pdm_report_table_set_text (table, row, 1, item->label);
      pdm_report_table_set_value (table, row, 2, item->pre_percent);
      pdm_report_table_set_value (table, row, 3, item->post_percent);
      pdm_report_table_set_value (table, row, 4, item->difference);
      pdm_report_table_set_text (table, row, 5, flag_label (item->flag));
    }
}

static void
add_sessions (PdmReportDoc      *doc,
              PdmTrainingReport *report)
{
  PdmReportSection *section;
  PdmReportTable *table;

  if (report->sessions->len == 0)
    return;

  section = pdm_report_doc_add_section (doc, _("Attendance per session"));
  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, _("No."), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Date"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Topic"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Speaker"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Present"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Attendance"), PDM_REPORT_KIND_PERCENT, 1);
  pdm_report_table_set_column_align (table, 0, PDM_REPORT_ALIGN_CENTER);

  for (guint s = 0; s < report->sessions->len; s++)
    {
      PdmTrainingReportSession *session = g_ptr_array_index (report->sessions, s);
      g_autofree char *date = pdm_format_date (session->session_date);
      g_autofree char *speaker = NULL;
      guint row = pdm_report_table_add_row (table);

      if (session->speaker != NULL && session->institution != NULL)
        speaker = g_strdup_printf ("%s (%s)", session->speaker, session->institution);
      else
        speaker = g_strdup (session->speaker != NULL ? session->speaker : session->institution);

      pdm_report_table_set_value (table, row, 0, s + 1);
      pdm_report_table_set_text (table, row, 1, date);
      pdm_report_table_set_text (table, row, 2, session->topic);
      pdm_report_table_set_text (table, row, 3, speaker);
      pdm_report_table_set_value (table, row, 4, session->n_present);
      pdm_report_table_set_value (table, row, 5,
                                  pdm_score_percent (session->n_present,
                                                     report->participants->len));
    }
}

static void
add_evaluation (PdmReportDoc                      *doc,
                PdmTrainingReport                 *report,
                const PdmTrainingReportEvaluation *evaluation)
{
  g_autofree char *subject = evaluation_subject (report, evaluation);
  g_autofree char *heading = NULL;
  g_autofree char *n = format_count (evaluation->n_responses);
  PdmReportSection *section;
  PdmReportChart *chart;
  PdmReportTable *table;
  PdmTrainingReportCriterion *first;
  guint n_points, answers_column;
  guint total_answers = 0;

  heading = evaluation->session != NULL
            /* Translators: a form's title, then what it evaluates (“session 2, Dra. Yusnimar”) */
            ? g_strdup_printf (_("%s: %s"), evaluation->form_title, subject)
            : g_strdup (evaluation->form_title);
  section = pdm_report_doc_add_section (doc, heading);

  if (evaluation->session != NULL)
    {
      const PdmTrainingReportSession *session = evaluation->session;
      g_autofree char *date = pdm_format_date (session->session_date);
      g_autoptr(GString) text = g_string_new (session->topic != NULL ? session->topic : "");

      if (session->speaker != NULL)
        g_string_append_printf (text, text->len > 0 ? ", %s" : "%s", session->speaker);
      if (session->institution != NULL)
        g_string_append_printf (text, text->len > 0 ? " (%s)" : "%s", session->institution);
      if (date != NULL)
        g_string_append_printf (text, text->len > 0 ? ", %s" : "%s", date);
      if (text->len > 0)
        pdm_report_section_add_paragraph (section, text->str);
    }

  if (evaluation->n_responses == 0 || evaluation->criteria->len == 0)
    {
      pdm_report_section_add_paragraph (section, _("No evaluation was submitted."));
      return;
    }

  {
    g_autofree char *mean = pdm_report_format_value (PDM_REPORT_KIND_DECIMAL, 2, evaluation->mean);
    g_autofree char *max = pdm_format_decimal (evaluation->scale_max, 0);

    add_paragraph_take (section,
                        /* Translators: %s is a number of responses, then the average rating
                         * such as 3,42, then the highest point of the scale such as 4 */
                        g_strdup_printf (ngettext ("%s response; overall average %s of %s.",
                                                   "%s responses; overall average %s of %s.",
                                                   evaluation->n_responses),
                                         n, mean, max));
  }

  chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_BAR);
  pdm_report_chart_set_value_format (chart, PDM_REPORT_KIND_DECIMAL, 2);
  pdm_report_chart_set_axis (chart, evaluation->scale_max, _("Average rating"));
  pdm_report_chart_add_series (chart, _("Average"));
  for (guint c = 0; c < evaluation->criteria->len; c++)
    {
      PdmTrainingReportCriterion *criterion = g_ptr_array_index (evaluation->criteria, c);

      pdm_report_chart_set_value (chart, 0, pdm_report_chart_add_category (chart, criterion->label),
                                  criterion->mean);
    }

  /* A column per point of the first criterion's scale; the criteria of
   * the shipped forms share one. */
  first = g_ptr_array_index (evaluation->criteria, 0);
  n_points = first->points->len;
  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, _("Criterion"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Average"), PDM_REPORT_KIND_DECIMAL, 2);
  for (guint p = 0; p < n_points; p++)
    pdm_report_table_add_column (table,
                                 g_array_index (first->points, PdmTrainingReportPoint, p).label,
                                 PDM_REPORT_KIND_INTEGER, 0);
  answers_column = pdm_report_table_add_column (table, _("Answers"), PDM_REPORT_KIND_INTEGER, 0);

  for (guint c = 0; c < evaluation->criteria->len; c++)
    {
      PdmTrainingReportCriterion *criterion = g_ptr_array_index (evaluation->criteria, c);
      guint row = pdm_report_table_add_row (table);

      pdm_report_table_set_text (table, row, 0, criterion->label);
      pdm_report_table_set_value (table, row, 1, criterion->mean);
      for (guint p = 0; p < n_points; p++)
        {
          double value = g_array_index (first->points, PdmTrainingReportPoint, p).value;
          guint count = 0;

          for (guint q = 0; q < criterion->points->len; q++)
            {
              PdmTrainingReportPoint *point = &g_array_index (criterion->points,
                                                              PdmTrainingReportPoint, q);

              if (point->value == value)
                count = point->count;
            }
          pdm_report_table_set_value (table, row, 2 + p, count);
        }
      pdm_report_table_set_value (table, row, answers_column, criterion->n_answers);
      total_answers += criterion->n_answers;
    }

  pdm_report_table_set_text (table, PDM_REPORT_FOOTER_ROW, 0, _("Overall average"));
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 1, evaluation->mean);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, answers_column, total_answers);

  if (evaluation->suggestions->len > 0)
    {
      g_autofree char *suggestions_heading = g_strdup_printf (_("Suggestions: %s"), subject);

      section = pdm_report_doc_add_section (doc, suggestions_heading);
      for (guint i = 0; i < evaluation->suggestions->len; i++)
        pdm_report_section_add_paragraph (section, g_ptr_array_index (evaluation->suggestions, i));
    }
}

static void
add_kelurahan (PdmReportDoc      *doc,
               PdmTrainingReport *report)
{
  PdmReportSection *section = pdm_report_doc_add_section (doc,
                                                          _("Participants and attendance per "
                                                            "kelurahan"));
  guint n_sessions = report->sessions->len;
  guint n_all = 0, n_any = 0;
  PdmReportChart *chart;
  PdmReportTable *table;

  pdm_report_section_add_paragraph (section,
                                    _("Every kelurahan of the city, those without participants "
                                      "too. “Every session” counts the participants present at "
                                      "all sessions, “At least one” those present at one or "
                                      "more; a session's column is the share of the kelurahan's "
                                      "participants who were present."));

  chart = pdm_report_section_add_chart (section, PDM_REPORT_CHART_BAR);
  pdm_report_chart_set_value_format (chart, PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_chart_set_axis (chart, 0, _("Participants"));
  pdm_report_chart_set_category_label (chart, _("Kelurahan"));
  pdm_report_chart_add_series (chart, _("Participants"));
  pdm_report_chart_add_series (chart, _("Every session"));

  table = pdm_report_section_add_table (section);
  pdm_report_table_add_column (table, _("Kecamatan"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Kelurahan"), PDM_REPORT_KIND_TEXT, 0);
  pdm_report_table_add_column (table, _("Participants"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("Every session"), PDM_REPORT_KIND_INTEGER, 0);
  pdm_report_table_add_column (table, _("At least one"), PDM_REPORT_KIND_INTEGER, 0);
  for (guint s = 0; s < n_sessions; s++)
    {
      /* Translators: a column header, %u is the session's number */
      g_autofree char *header = g_strdup_printf (_("Session %u"), s + 1);

      pdm_report_table_add_column (table, header, PDM_REPORT_KIND_PERCENT, 1);
    }

  for (guint k = 0; k < report->kelurahan->len; k++)
    {
      PdmTrainingReportKelurahan *kelurahan = g_ptr_array_index (report->kelurahan, k);
      guint category = pdm_report_chart_add_category (chart, kelurahan->name);
      guint row = pdm_report_table_add_row (table);

      pdm_report_chart_set_value (chart, 0, category, kelurahan->n_participants);
      pdm_report_chart_set_value (chart, 1, category, kelurahan->n_all_sessions);

      pdm_report_table_set_text (table, row, 0, kelurahan->kecamatan_name);
      pdm_report_table_set_text (table, row, 1, kelurahan->name);
      pdm_report_table_set_value (table, row, 2, kelurahan->n_participants);
      pdm_report_table_set_value (table, row, 3, kelurahan->n_all_sessions);
      pdm_report_table_set_value (table, row, 4, kelurahan->n_any_session);
      for (guint s = 0; s < n_sessions; s++)
        pdm_report_table_set_value (table, row, 5 + s,
                                    pdm_score_percent (kelurahan->present[s],
                                                       kelurahan->n_participants));
      n_all += kelurahan->n_all_sessions;
      n_any += kelurahan->n_any_session;
    }

  pdm_report_table_set_text (table, PDM_REPORT_FOOTER_ROW, 1, _("Total"));
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 2, report->participants->len);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 3, n_all);
  pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 4, n_any);
  for (guint s = 0; s < n_sessions; s++)
    {
      PdmTrainingReportSession *session = g_ptr_array_index (report->sessions, s);

      pdm_report_table_set_value (table, PDM_REPORT_FOOTER_ROW, 5 + s,
                                  pdm_score_percent (session->n_present,
                                                     report->participants->len));
    }
}

/**
 * pdm_training_report_build_doc:
 * @report: the figures
 *
 * The report as a document in the language of the interface: the
 * training's details; a summary of the tests; the gain; the scores per
 * participant (a paired chart and a table); the correct answers per item
 * (a bar chart and a table); the attendance per session; per session and
 * evaluation form the average per criterion (a bar chart and a table of
 * the ratings given) and then the suggestions; the same for the
 * evaluations of the whole training (the organisation); the participants
 * and attendance per kelurahan (a bar chart and a table of every
 * kelurahan). Quick enough for the main thread.
 *
 * Returns: (transfer full): the document
 */
PdmReportDoc *
pdm_training_report_build_doc (PdmTrainingReport *report)
{
  PdmReportDoc *doc;

  g_return_val_if_fail (report != NULL, NULL);

  doc = pdm_report_doc_new (_("Training Evaluation Report"));
  add_details (doc, report);
  add_summary (doc, report);
  add_gain (doc, report);
  add_participants (doc, report);
  add_items_section (doc, report);
  add_sessions (doc, report);
  for (guint e = 0; e < report->evaluations->len; e++)
    add_evaluation (doc, report, g_ptr_array_index (report->evaluations, e));
  add_kelurahan (doc, report);

  return doc;
}
