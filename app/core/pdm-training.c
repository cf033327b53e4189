/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-training"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pdm-core-resources.h"
#include "pdm-error.h"
#include "pdm-rules.h"
#include "pdm-training.h"
#include "pdm-util.h"
#include "pdm-uuid.h"

/* Where the form engine's shipped definitions (the JSON files of
 * data/forms) live in the core's resource. */
#define FORMS_PATH PDM_RESOURCE_BASE_PATH "/core/forms"

G_DEFINE_BOXED_TYPE (PdmParticipantRow, pdm_participant_row,
                     pdm_participant_row_copy, pdm_participant_row_free)
G_DEFINE_BOXED_TYPE (PdmResponseDraft, pdm_response_draft,
                     pdm_response_draft_copy, pdm_response_draft_free)

PdmParticipantRow *
pdm_participant_row_copy (const PdmParticipantRow *row)
{
  PdmParticipantRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = g_new0 (PdmParticipantRow, 1);
  copy->participant = pdm_record_copy (row->participant);
  copy->full_name = g_strdup (row->full_name);
  copy->nik = g_strdup (row->nik);
  copy->kelurahan_name = g_strdup (row->kelurahan_name);

  return copy;
}

void
pdm_participant_row_free (PdmParticipantRow *row)
{
  if (row == NULL)
    return;

  g_clear_pointer (&row->participant, pdm_record_free);
  g_free (row->full_name);
  g_free (row->nik);
  g_free (row->kelurahan_name);
  g_free (row);
}

PdmResponseDraft *
pdm_response_draft_new (void)
{
  return g_new0 (PdmResponseDraft, 1);
}

PdmResponseDraft *
pdm_response_draft_copy (const PdmResponseDraft *draft)
{
  PdmResponseDraft *copy;

  g_return_val_if_fail (draft != NULL, NULL);

  copy = pdm_response_draft_new ();
  copy->id = g_strdup (draft->id);
  copy->form_id = g_strdup (draft->form_id);
  copy->training_id = g_strdup (draft->training_id);
  copy->participant_id = g_strdup (draft->participant_id);
  copy->session_id = g_strdup (draft->session_id);
  copy->answers = g_strdup (draft->answers);
  copy->updated_at = g_strdup (draft->updated_at);

  return copy;
}

void
pdm_response_draft_free (PdmResponseDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->id);
  g_free (draft->form_id);
  g_free (draft->training_id);
  g_free (draft->participant_id);
  g_free (draft->session_id);
  g_free (draft->answers);
  g_free (draft->updated_at);
  g_free (draft);
}

/* ---- keys ----------------------------------------------------------------- */

char *
pdm_training_participant_id (const char *training_id,
                             const char *volunteer_id)
{
  g_return_val_if_fail (training_id != NULL && volunteer_id != NULL, NULL);

  return pdm_uuid_derive ("participant", training_id, volunteer_id);
}

char *
pdm_training_attendance_id (const char *session_id,
                            const char *participant_id)
{
  g_return_val_if_fail (session_id != NULL && participant_id != NULL, NULL);

  return pdm_uuid_derive ("attendance", session_id, participant_id);
}

char *
pdm_training_form_id (const char *form_key,
                      gint64      version)
{
  char number[24];

  g_return_val_if_fail (form_key != NULL, NULL);

  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, version);

  return pdm_uuid_derive ("form", form_key, number);
}

/* ---- queries -------------------------------------------------------------- */

static gboolean
db_failed (sqlite3  *db,
           GError  **error)
{
  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               /* Translators: %s is SQLite's reason */
               _("The database failed: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static sqlite3 *
handle (PdmRepository *repository)
{
  return pdm_database_get_handle (pdm_repository_get_database (repository));
}

typedef gpointer (*ReadRowFunc) (sqlite3_stmt *stmt,
                                 gpointer      data);

/* The rows @sql finds for @params (text or NULL, in order), each made by
 * @read_row (with @read_data) and freed by @free_row. */
static GPtrArray *
query_rows (PdmRepository       *repository,
            const char          *sql,
            const char * const  *params,
            guint                n_params,
            ReadRowFunc          read_row,
            gpointer             read_data,
            GDestroyNotify       free_row,
            GError             **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  sqlite3_stmt *stmt;
  int rc;

  stmt = pdm_repository_prepare_cached (repository, sql, error);
  if (stmt == NULL)
    return NULL;
  /* SQLite binds a NULL text as NULL. */
  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_text (stmt, (int) i + 1, params[i], -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt, read_data));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      db_failed (handle (repository), error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

static gpointer
read_record (sqlite3_stmt *stmt,
             gpointer      table)
{
  return pdm_repository_read_record (GPOINTER_TO_UINT (table), stmt, 0);
}

/* The records of @table that "SELECT <its columns> @from" finds, where
 * @from names the table `t` and takes @params. */
static GPtrArray *
query_records (PdmRepository       *repository,
               PdmTable             table,
               const char          *from,
               const char * const  *params,
               guint                n_params,
               GError             **error)
{
  g_autofree char *sql = g_strconcat ("SELECT ", pdm_repository_record_columns (table), " ",
                                      from, NULL);

  return query_rows (repository, sql, params, n_params, read_record, GUINT_TO_POINTER (table),
                     (GDestroyNotify) pdm_record_free, error);
}

/* The record @id of @table, which must be there and not deleted; @label
 * names it in the message. */
static PdmRecord *
get_live (PdmRepository  *repository,
          PdmTable        table,
          const char     *id,
          const char     *label,
          GError        **error)
{
  g_autoptr(PdmRecord) record = NULL;

  if (id != NULL)
    record = pdm_repository_get (repository, table, id, NULL);

  if (record == NULL || pdm_record_is_deleted (record))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND,
                   record == NULL
                   /* Translators: %s is a kind of record, such as “The training” */
                   ? _("%s is not in the database")
                   : _("%s was deleted"),
                   label);
      return NULL;
    }

  return g_steal_pointer (&record);
}

/* Now, as ISO 8601 with the device's offset: "2025-11-25T09:30:00+07:00". */
static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S%:z");
}

/* ---- trainings and sessions ----------------------------------------------- */

/**
 * pdm_training_list:
 * @repository: a #PdmRepository
 * @error: return location for a #GError
 *
 * The trainings that are not deleted, the newest (by start date) first.
 *
 * Returns: (transfer container) (element-type PdmRecord): the trainings
 */
GPtrArray *
pdm_training_list (PdmRepository  *repository,
                   GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);

  return query_records (repository, PDM_TABLE_TRAINING,
                        "FROM training t WHERE t.deleted = 0 "
                        "ORDER BY t.start_date DESC, t.id DESC",
                        NULL, 0, error);
}

/**
 * pdm_training_list_sessions:
 * @repository: a #PdmRepository
 * @training_id: the training
 * @error: return location for a #GError
 *
 * The sessions of @training_id that are not deleted, in their order
 * (position, then date and start time).
 *
 * Returns: (transfer container) (element-type PdmRecord): the sessions
 */
GPtrArray *
pdm_training_list_sessions (PdmRepository  *repository,
                            const char     *training_id,
                            GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (training_id != NULL, NULL);

  return query_records (repository, PDM_TABLE_TRAINING_SESSION,
                        "FROM training_session t "
                        "WHERE t.training_id = ?1 AND t.deleted = 0 "
                        "ORDER BY t.position IS NULL, t.position, t.session_date, "
                        "  t.start_time, t.id",
                        &training_id, 1, error);
}

/* ---- participants and attendance ------------------------------------------ */

/**
 * pdm_training_add_participant:
 * @repository: a #PdmRepository
 * @training_id: a training that is not deleted
 * @volunteer_id: a PSM who is not deleted
 * @error: return location for a #GError
 *
 * Adds the PSM to the training, with the PSM's kelurahan of today (kept
 * for the reports per kelurahan). The key is derived from both ids, so the
 * same PSM added on two devices is one participant once synced. A PSM
 * already in the training is refused with %PDM_ERROR_DUPLICATE; one who was
 * removed is added back.
 *
 * Returns: (transfer full): the participant, or %NULL with @error set
 */
PdmRecord *
pdm_training_add_participant (PdmRepository  *repository,
                              const char     *training_id,
                              const char     *volunteer_id,
                              GError        **error)
{
  g_autoptr(PdmRecord) training = NULL;
  g_autoptr(PdmRecord) volunteer = NULL;
  g_autoptr(PdmRecord) participant = NULL;
  g_autofree char *id = NULL;
  gboolean exists;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (training_id != NULL && volunteer_id != NULL, NULL);

  training = get_live (repository, PDM_TABLE_TRAINING, training_id, _("The training"), error);
  if (training == NULL)
    return NULL;
  volunteer = get_live (repository, PDM_TABLE_VOLUNTEER, volunteer_id, _("The PSM"), error);
  if (volunteer == NULL)
    return NULL;

  id = pdm_training_participant_id (training_id, volunteer_id);
  participant = pdm_repository_get (repository, PDM_TABLE_PARTICIPANT, id, NULL);
  exists = participant != NULL;
  if (exists && !pdm_record_is_deleted (participant))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DUPLICATE,
                   /* Translators: %s is the name of a PSM */
                   _("%s is already a participant of this training"),
                   pdm_record_get (volunteer, "full_name"));
      return NULL;
    }

  if (!exists)
    {
      participant = pdm_record_new (PDM_TABLE_PARTICIPANT);
      participant->id = g_steal_pointer (&id);
    }
  pdm_record_set (participant, "training_id", training_id);
  pdm_record_set (participant, "volunteer_id", volunteer_id);
  pdm_record_set (participant, "kelurahan_code", pdm_record_get (volunteer, "kelurahan_code"));
  pdm_record_set (participant, "deleted", "0");

  if (!pdm_rules_check (repository, participant, NULL, NULL, error))
    return NULL;

  if (exists ? !pdm_repository_update (repository, participant, NULL, error)
             : !pdm_repository_insert (repository, participant, error))
    return NULL;

  return g_steal_pointer (&participant);
}

/* Removal is a tombstone: the attendance and responses stay, and adding
 * the PSM again brings the same participant back. */
gboolean
pdm_training_remove_participant (PdmRepository  *repository,
                                 const char     *participant_id,
                                 GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (participant_id != NULL, FALSE);

  return pdm_repository_delete (repository, PDM_TABLE_PARTICIPANT, participant_id, error);
}

/* A participant, then the PSM's name and NIK and the kelurahan's name. */
static gpointer
read_participant_row (sqlite3_stmt *stmt,
                      gpointer      data)
{
  PdmParticipantRow *row = g_new0 (PdmParticipantRow, 1);
  int column = (int) pdm_table_info_get (PDM_TABLE_PARTICIPANT)->n_fields + 1;

  row->participant = pdm_repository_read_record (PDM_TABLE_PARTICIPANT, stmt, 0);
  row->full_name = g_strdup ((const char *) sqlite3_column_text (stmt, column));
  row->nik = g_strdup ((const char *) sqlite3_column_text (stmt, column + 1));
  row->kelurahan_name = g_strdup ((const char *) sqlite3_column_text (stmt, column + 2));

  return row;
}

void
pdm_training_history_row_free (PdmTrainingHistoryRow *row)
{
  if (row == NULL)
    return;

  pdm_record_free (row->training);
  g_free (row);
}

static gpointer
read_history_row (sqlite3_stmt *stmt,
                  gpointer      data)
{
  PdmTrainingHistoryRow *row = g_new0 (PdmTrainingHistoryRow, 1);
  int column = (int) pdm_table_info_get (PDM_TABLE_TRAINING)->n_fields + 1;

  row->training = pdm_repository_read_record (PDM_TABLE_TRAINING, stmt, 0);
  row->n_sessions = (guint) sqlite3_column_int64 (stmt, column);
  row->n_attended = (guint) sqlite3_column_int64 (stmt, column + 1);

  return row;
}

/**
 * pdm_training_list_for_volunteer:
 * @repository: a #PdmRepository
 * @volunteer_id: a PSM
 * @error: return location for a #GError
 *
 * The trainings @volunteer_id takes or took part in, newest first, with
 * how many of their sessions the PSM was marked present at.
 *
 * Returns: (transfer container) (element-type PdmTrainingHistoryRow): the
 *   trainings, or %NULL on error
 */
GPtrArray *
pdm_training_list_for_volunteer (PdmRepository  *repository,
                                 const char     *volunteer_id,
                                 GError        **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (volunteer_id != NULL, NULL);

  sql = g_strconcat ("SELECT ", pdm_repository_record_columns (PDM_TABLE_TRAINING), ", "
                     "  (SELECT count(*) FROM training_session s "
                     "   WHERE s.training_id = t.id AND s.deleted = 0), "
                     "  (SELECT count(*) FROM attendance a "
                     "   JOIN training_session s ON s.id = a.session_id "
                     "   WHERE a.participant_id = p.id AND a.present = 1 AND a.deleted = 0 "
                     "     AND s.deleted = 0) "
                     "FROM participant p JOIN training t ON t.id = p.training_id "
                     "WHERE p.volunteer_id = ?1 AND p.deleted = 0 AND t.deleted = 0 "
                     "ORDER BY t.start_date DESC, t.id DESC", NULL);

  return query_rows (repository, sql, &volunteer_id, 1, read_history_row, NULL,
                     (GDestroyNotify) pdm_training_history_row_free, error);
}

/* @text with LIKE's wildcards escaped by a backslash. */
static char *
escape_like (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }

  return g_string_free (escaped, FALSE);
}

/**
 * pdm_training_list_participants:
 * @repository: a #PdmRepository
 * @training_id: the training
 * @filter: (nullable): text the PSM's name (any word of it) or NIK starts
 *   with, case aside; %NULL or blank for all
 * @error: return location for a #GError
 *
 * The participants of @training_id that are not removed, with the PSM's
 * name and NIK and the kelurahan's name, sorted by name: the check-in list.
 * A participant whose PSM this device does not hold (a kelurahan device
 * holds only its own kelurahan's PSM) has a %NULL name and comes first.
 *
 * Returns: (transfer container) (element-type PdmParticipantRow): the rows
 */
GPtrArray *
pdm_training_list_participants (PdmRepository  *repository,
                                const char     *training_id,
                                const char     *filter,
                                GError        **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (filter != NULL ? filter : ""));
  g_autofree char *pattern = NULL;
  const char *params[2] = { training_id, NULL };

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (training_id != NULL, NULL);

  if (*trimmed != '\0')
    params[1] = pattern = escape_like (trimmed);

  sql = g_strdup_printf ("SELECT %s, v.full_name, v.nik, r.name FROM participant t "
                         "LEFT JOIN volunteer v ON v.id = t.volunteer_id "
                         "LEFT JOIN region r ON r.code = t.kelurahan_code "
                         "WHERE t.training_id = ?1 AND t.deleted = 0 AND (?2 IS NULL "
                         "  OR v.full_name LIKE ?2 || '%%' ESCAPE '\\' "
                         "  OR v.full_name LIKE '%% ' || ?2 || '%%' ESCAPE '\\' "
                         "  OR v.nik LIKE ?2 || '%%' ESCAPE '\\') "
                         "ORDER BY v.full_name COLLATE NOCASE, t.id",
                         pdm_repository_record_columns (PDM_TABLE_PARTICIPANT));

  return query_rows (repository, sql, params, 2, read_participant_row, NULL,
                     (GDestroyNotify) pdm_participant_row_free, error);
}

/**
 * pdm_training_set_attendance:
 * @repository: a #PdmRepository
 * @session_id: a session that is not deleted
 * @participant_id: a participant of the session's training
 * @present: whether the participant came
 * @error: return location for a #GError
 *
 * Marks (or unmarks) the participant at the session. The mark's key is
 * derived from both ids, so a check-in on two devices is one mark once
 * synced, and the last one written wins without a conflict.
 *
 * Returns: %TRUE on success
 */
gboolean
pdm_training_set_attendance (PdmRepository  *repository,
                             const char     *session_id,
                             const char     *participant_id,
                             gboolean        present,
                             GError        **error)
{
  g_autoptr(PdmRecord) session = NULL;
  g_autoptr(PdmRecord) participant = NULL;
  g_autoptr(PdmRecord) mark = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (session_id != NULL && participant_id != NULL, FALSE);

  session = get_live (repository, PDM_TABLE_TRAINING_SESSION, session_id, _("The session"),
                      error);
  if (session == NULL)
    return FALSE;
  participant = get_live (repository, PDM_TABLE_PARTICIPANT, participant_id,
                          _("The participant"), error);
  if (participant == NULL)
    return FALSE;
  if (g_strcmp0 (pdm_record_get (session, "training_id"),
                 pdm_record_get (participant, "training_id")) != 0)
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                           _("The participant is not in the training of this session"));
      return FALSE;
    }

  id = pdm_training_attendance_id (session_id, participant_id);
  mark = pdm_repository_get (repository, PDM_TABLE_ATTENDANCE, id, NULL);
  if (mark != NULL)
    {
      pdm_record_set (mark, "present", present ? "1" : "0");
      pdm_record_set (mark, "deleted", "0");
      return pdm_repository_update (repository, mark, NULL, error);
    }

  mark = pdm_record_new (PDM_TABLE_ATTENDANCE);
  mark->id = g_steal_pointer (&id);
  pdm_record_set (mark, "session_id", session_id);
  pdm_record_set (mark, "participant_id", participant_id);
  pdm_record_set (mark, "present", present ? "1" : "0");

  return pdm_rules_check (repository, mark, NULL, NULL, error) &&
         pdm_repository_insert (repository, mark, error);
}

/**
 * pdm_training_get_attendance:
 * @repository: a #PdmRepository
 * @session_id: the session
 * @error: return location for a #GError
 *
 * Who came to the session.
 *
 * Returns: (transfer full) (element-type utf8 utf8): the set of the ids of
 *   the participants marked present (g_hash_table_contains())
 */
GHashTable *
pdm_training_get_attendance (PdmRepository  *repository,
                             const char     *session_id,
                             GError        **error)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  stmt = pdm_repository_prepare_cached (repository,
                                        "SELECT participant_id FROM attendance "
                                        "WHERE session_id = ?1 AND present = 1 AND deleted = 0",
                                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (present, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      db_failed (handle (repository), error);
      return NULL;
    }

  return g_steal_pointer (&present);
}

/* ---- forms ---------------------------------------------------------------- */

/* What a replica stores of a form definition, read from its JSON. */
typedef struct
{
  char   *id;
  char   *form_key;
  gint64  version;
  char   *title;
  char   *kind;
  char   *definition;
} FormHead;

static void
form_head_free (FormHead *head)
{
  g_free (head->id);
  g_free (head->form_key);
  g_free (head->title);
  g_free (head->kind);
  g_free (head->definition);
  g_free (head);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FormHead, form_head_free)

static const char *
head_string (JsonObject  *object,
             const char  *member,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    value = json_node_get_string (node);

  if (value == NULL || *value == '\0')
    g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                 /* Translators: %s is a member of a JSON object, such as “title” */
                 _("A form definition needs a text “%s”"), member);

  return value;
}

/* Reads the head of a definition; the definition itself is kept as it
 * came, byte for byte, so every replica stores the same text. */
static FormHead *
parse_form (const char  *json,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(FormHead) head = g_new0 (FormHead, 1);
  JsonObject *object;
  JsonNode *root, *version;
  const char *key, *title, *kind;

  if (!json_parser_load_from_data (parser, json, (gssize) length, error))
    {
      g_prefix_error (error, _("The form definition is not valid JSON: "));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                           _("A form definition must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  if ((key = head_string (object, "id", error)) == NULL ||
      (title = head_string (object, "title", error)) == NULL ||
      (kind = head_string (object, "kind", error)) == NULL)
    return NULL;

  version = json_object_get_member (object, "version");
  if (version == NULL || json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) < 1)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("The form “%s” needs a “version” that is a whole number from 1"), key);
      return NULL;
    }

  head->form_key = g_strdup (key);
  head->version = json_node_get_int (version);
  head->title = g_strdup (title);
  head->kind = g_strdup (kind);
  head->definition = g_strndup (json, length);
  head->id = pdm_training_form_id (head->form_key, head->version);

  return g_steal_pointer (&head);
}

/* The forms shipped in the core's resource, read once per process. */
static GPtrArray *
load_shipped_forms (GError **error)
{
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) form_head_free);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) names = NULL;

  names = g_resource_enumerate_children (pdm_core_get_resource (), FORMS_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (names == NULL)
    {
      /* No forms shipped (yet): nothing to seed. */
      if (g_error_matches (local_error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND))
        return g_steal_pointer (&forms);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  qsort (names, g_strv_length (names), sizeof (char *), pdm_compare_strings_indirect);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_path ("/", FORMS_PATH, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      gsize length;
      const char *data;
      FormHead *head;

      if (!g_str_has_suffix (names[i], ".json"))
        continue;

      bytes = g_resource_lookup_data (pdm_core_get_resource (), path,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &length);
      head = parse_form (data, length, error);
      if (head == NULL)
        {
          g_prefix_error (error, _("The shipped form %s is broken: "), names[i]);
          return NULL;
        }
      g_ptr_array_add (forms, head);
    }

  return g_steal_pointer (&forms);
}

static GPtrArray *
get_shipped_forms (GError **error)
{
  static gsize loaded;
  static GPtrArray *forms;
  static GError *load_error;

  if (g_once_init_enter (&loaded))
    {
      forms = load_shipped_forms (&load_error);
      g_once_init_leave (&loaded, 1);
    }

  if (forms == NULL)
    g_propagate_error (error, g_error_copy (load_error));

  return forms;
}

static gboolean
form_exists (sqlite3     *db,
             const char  *id,
             gboolean    *out_exists,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT 1 FROM form WHERE id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  *out_exists = rc == SQLITE_ROW;

  return rc == SQLITE_ROW || rc == SQLITE_DONE || db_failed (db, error);
}

/* Every field carries the shipped stamp from the insert (`_created`), the
 * way a replica stores any record it made: byte for byte the same row on
 * every device and on the server. */
static gboolean
insert_form (sqlite3         *db,
             const FormHead  *head,
             gboolean        *out_inserted,
             GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "INSERT OR IGNORE INTO form (id, form_key, version, title, kind, "
                           "  definition, deleted, _created, _clock) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, NULL)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, head->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, head->form_key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, head->version);
      sqlite3_bind_text (stmt, 4, head->title, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, head->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, head->definition, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, PDM_SHIPPED_STAMP, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return db_failed (db, error);

  *out_inserted = sqlite3_changes (db) > 0;

  return TRUE;
}

/**
 * pdm_training_seed_form_json:
 * @db: a replica's or the server's connection
 * @json: a form definition (as in data/forms): a JSON object with at least
 *   the text members `id` (the form key), `title` and `kind` and the whole
 *   number `version`
 * @length: the length of @json in bytes
 * @out_id: (out) (optional): the form's derived key
 * @out_inserted: (out) (optional): %FALSE when the form was already there
 * @error: return location for a #GError
 *
 * Stores one definition as shipped data (%PDM_SHIPPED_STAMP), unless a
 * form of that key and version is there already. The caller owns the
 * transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
pdm_training_seed_form_json (sqlite3     *db,
                             const char  *json,
                             gsize        length,
                             char       **out_id,
                             gboolean    *out_inserted,
                             GError     **error)
{
  g_autoptr(FormHead) head = NULL;
  gboolean inserted = FALSE;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  head = parse_form (json, length, error);
  if (head == NULL || !insert_form (db, head, &inserted, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = g_strdup (head->id);
  if (out_inserted != NULL)
    *out_inserted = inserted;

  return TRUE;
}

/**
 * pdm_training_seed_forms:
 * @db: a replica's or the server's connection
 * @out_new_ids: (nullable) (element-type utf8): where to add the keys of
 *   the forms this call stored
 * @error: return location for a #GError
 *
 * Stores the forms shipped with this build that @db does not have yet, so
 * they work offline before the first sync. A replica that has them all
 * is only read. Runs in the caller's transaction when one is open, else
 * in one of its own.
 *
 * Returns: %TRUE on success
 */
gboolean
pdm_training_seed_forms (sqlite3    *db,
                         GPtrArray  *out_new_ids,
                         GError    **error)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  GPtrArray *forms;
  gboolean own_transaction;
  gboolean ok = TRUE;

  g_return_val_if_fail (db != NULL, FALSE);

  forms = get_shipped_forms (error);
  if (forms == NULL)
    return FALSE;

  for (guint i = 0; i < forms->len; i++)
    {
      const FormHead *head = g_ptr_array_index (forms, i);
      gboolean exists;

      if (!form_exists (db, head->id, &exists, error))
        return FALSE;
      if (!exists)
        g_ptr_array_add (missing, (gpointer) head);
    }
  if (missing->len == 0)
    return TRUE;

  own_transaction = sqlite3_get_autocommit (db);
  if (own_transaction && sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_failed (db, error);

  for (guint i = 0; ok && i < missing->len; i++)
    {
      const FormHead *head = g_ptr_array_index (missing, i);
      gboolean inserted = FALSE;

      ok = insert_form (db, head, &inserted, error);
      if (ok && inserted && out_new_ids != NULL)
        g_ptr_array_add (out_new_ids, g_strdup (head->id));
    }

  if (own_transaction)
    {
      if (ok && sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        ok = db_failed (db, error);
      if (!ok)
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }

  return ok;
}

/**
 * pdm_training_get_form:
 * @repository: a #PdmRepository
 * @form_key: a form's key, such as "psm-basic-pretest"
 * @version: the version wanted, or 0 for the newest that is not deleted
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the form, or %NULL with %PDM_ERROR_NOT_FOUND
 */
PdmRecord *
pdm_training_get_form (PdmRepository  *repository,
                       const char     *form_key,
                       gint64          version,
                       GError        **error)
{
  g_autoptr(GPtrArray) forms = NULL;
  char number[24];
  const char *params[] = { form_key, number };

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (form_key != NULL, NULL);

  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, version);
  if (version > 0)
    forms = query_records (repository, PDM_TABLE_FORM,
                           "FROM form t WHERE t.form_key = ?1 AND t.version = ?2",
                           params, 2, error);
  else
    forms = query_records (repository, PDM_TABLE_FORM,
                           "FROM form t WHERE t.form_key = ?1 AND t.deleted = 0 "
                           "ORDER BY t.version DESC LIMIT 1",
                           params, 1, error);
  if (forms == NULL)
    return NULL;

  if (forms->len == 0 && version > 0)
    g_set_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND,
                 /* Translators: %s is a form's key, such as psm-basic-pretest, then a number */
                 _("The form “%s” has no version %s"), form_key, number);
  else if (forms->len == 0)
    g_set_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND,
                 /* Translators: %s is a form's key, such as psm-basic-pretest */
                 _("There is no form “%s”"), form_key);
  if (forms->len == 0)
    return NULL;

  return g_steal_pointer (&g_ptr_array_index (forms, 0));
}

/**
 * pdm_training_list_forms:
 * @repository: a #PdmRepository
 * @newest_only: only the newest version of each form key
 * @error: return location for a #GError
 *
 * The forms that are not deleted, by key, the newest version first.
 *
 * Returns: (transfer container) (element-type PdmRecord): the forms
 */
GPtrArray *
pdm_training_list_forms (PdmRepository  *repository,
                         gboolean        newest_only,
                         GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);

  if (newest_only)
    return query_records (repository, PDM_TABLE_FORM,
                          "FROM form t WHERE t.deleted = 0 AND NOT EXISTS ("
                          "  SELECT 1 FROM form n WHERE n.form_key = t.form_key "
                          "  AND n.deleted = 0 AND n.version > t.version) "
                          "ORDER BY t.form_key, t.version DESC",
                          NULL, 0, error);

  return query_records (repository, PDM_TABLE_FORM,
                        "FROM form t WHERE t.deleted = 0 "
                        "ORDER BY t.form_key, t.version DESC",
                        NULL, 0, error);
}

/* ---- responses ------------------------------------------------------------ */

/* The checks of a response that span records: what it names belongs to
 * its training. */
static gboolean
check_response_links (PdmRepository    *repository,
                      const PdmRecord  *response,
                      GError          **error)
{
  const char *training_id = pdm_record_get (response, "training_id");
  const char *participant_id = pdm_record_get (response, "participant_id");
  const char *session_id = pdm_record_get (response, "session_id");

  if (participant_id != NULL)
    {
      g_autoptr(PdmRecord) participant = get_live (repository, PDM_TABLE_PARTICIPANT,
                                                   participant_id, _("The participant"), error);

      if (participant == NULL)
        return FALSE;
      if (g_strcmp0 (pdm_record_get (participant, "training_id"), training_id) != 0)
        {
          g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                               _("The participant is not in this training"));
          return FALSE;
        }
    }

  if (session_id != NULL)
    {
      g_autoptr(PdmRecord) session = get_live (repository, PDM_TABLE_TRAINING_SESSION,
                                               session_id, _("The session"), error);

      if (session == NULL)
        return FALSE;
      if (g_strcmp0 (pdm_record_get (session, "training_id"), training_id) != 0)
        {
          g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                               _("The session is not in this training"));
          return FALSE;
        }
    }

  return TRUE;
}

/* In the caller's transaction, if any. */
static gboolean
submit_response (PdmRepository  *repository,
                 PdmRecord      *response,
                 GError        **error)
{
  if (response->id != NULL)
    {
      g_autoptr(PdmRecord) stored = pdm_repository_get (repository, PDM_TABLE_RESPONSE,
                                                        response->id, NULL);

      if (stored != NULL)
        {
          g_set_error_literal (error, PDM_ERROR, PDM_ERROR_IMMUTABLE,
                               _("This form was already submitted; a submitted form cannot "
                                 "be changed"));
          return FALSE;
        }
    }

  if (pdm_record_get (response, "submitted_at") == NULL)
    {
      g_autofree char *now = now_iso8601 ();

      pdm_record_set (response, "submitted_at", now);
    }
  pdm_record_set (response, "deleted", "0");

  return pdm_rules_check (repository, response, NULL, NULL, error) &&
         check_response_links (repository, response, error) &&
         pdm_repository_insert (repository, response, error);
}

/**
 * pdm_training_submit_response:
 * @repository: a #PdmRepository
 * @response: a new %PDM_TABLE_RESPONSE record: form_id, training_id,
 *   answers (a JSON object) and, as the form asks, participant_id,
 *   session_id (for the evaluation of one session's speaker), score and
 *   max_score; submitted_at is set to now when empty
 * @error: return location for a #GError
 *
 * Stores a submitted form. From then on it never changes:
 * pdm_repository_update() refuses it with %PDM_ERROR_IMMUTABLE, and so
 * does the server.
 *
 * Returns: %TRUE on success; @response then has its key
 */
gboolean
pdm_training_submit_response (PdmRepository  *repository,
                              PdmRecord      *response,
                              GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (response != NULL && response->info->table == PDM_TABLE_RESPONSE, FALSE);

  return submit_response (repository, response, error);
}

/**
 * pdm_training_list_responses:
 * @repository: a #PdmRepository
 * @training_id: the training
 * @form_id: (nullable): only the responses to this form (one version)
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type PdmRecord): the responses,
 *   oldest first
 */
GPtrArray *
pdm_training_list_responses (PdmRepository  *repository,
                             const char     *training_id,
                             const char     *form_id,
                             GError        **error)
{
  const char *params[] = { training_id, form_id };

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (training_id != NULL, NULL);

  return query_records (repository, PDM_TABLE_RESPONSE,
                        "FROM response t WHERE t.training_id = ?1 "
                        "AND (?2 IS NULL OR t.form_id = ?2) AND t.deleted = 0 "
                        "ORDER BY t.submitted_at, t.id",
                        params, 2, error);
}

/* ---- drafts --------------------------------------------------------------- */

#define DRAFT_COLUMNS \
  "id, form_id, training_id, participant_id, session_id, answers, updated_at"

static gpointer
read_draft (sqlite3_stmt *stmt,
            gpointer      data)
{
  PdmResponseDraft *draft = pdm_response_draft_new ();
  char **fields[] = {
    &draft->id, &draft->form_id, &draft->training_id, &draft->participant_id,
    &draft->session_id, &draft->answers, &draft->updated_at,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = g_strdup ((const char *) sqlite3_column_text (stmt, (int) i));

  return draft;
}

static GPtrArray *
query_drafts (PdmRepository       *repository,
              const char          *sql,
              const char * const  *params,
              guint                n_params,
              GError             **error)
{
  return query_rows (repository, sql, params, n_params, read_draft, NULL,
                     (GDestroyNotify) pdm_response_draft_free, error);
}

/**
 * pdm_training_save_draft:
 * @repository: a #PdmRepository
 * @draft: the draft; form_id and answers (a JSON object) are required
 * @error: return location for a #GError
 *
 * Saves a form being filled in on this device (it is never synced),
 * creating it when @draft has no id yet (the id is then set) and replacing
 * it otherwise. updated_at is set to now.
 *
 * Returns: %TRUE on success
 */
gboolean
pdm_training_save_draft (PdmRepository     *repository,
                         PdmResponseDraft  *draft,
                         GError           **error)
{
  g_autoptr(JsonNode) answers = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (draft != NULL && draft->form_id != NULL, FALSE);

  if (draft->answers != NULL)
    answers = json_from_string (draft->answers, NULL);
  if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                           _("The answers are not a JSON object"));
      return FALSE;
    }

  stmt = pdm_repository_prepare_cached (repository,
                                        "INSERT INTO response_draft (" DRAFT_COLUMNS ") "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                        "ON CONFLICT (id) DO UPDATE SET "
                                        "  form_id = excluded.form_id, "
                                        "  training_id = excluded.training_id, "
                                        "  participant_id = excluded.participant_id, "
                                        "  session_id = excluded.session_id, "
                                        "  answers = excluded.answers, "
                                        "  updated_at = excluded.updated_at",
                                        error);
  if (stmt == NULL)
    return FALSE;

  if (draft->id == NULL)
    draft->id = pdm_uuid_v7_new ();
  g_free (draft->updated_at);
  draft->updated_at = now_iso8601 ();

  sqlite3_bind_text (stmt, 1, draft->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, draft->form_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, draft->training_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, draft->participant_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, draft->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, draft->answers, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, draft->updated_at, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return db_failed (handle (repository), error);
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/**
 * pdm_training_load_draft:
 * @repository: a #PdmRepository
 * @draft_id: the draft
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the draft, or %NULL with %PDM_ERROR_NOT_FOUND
 */
PdmResponseDraft *
pdm_training_load_draft (PdmRepository  *repository,
                         const char     *draft_id,
                         GError        **error)
{
  g_autoptr(GPtrArray) drafts = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (draft_id != NULL, NULL);

  drafts = query_drafts (repository,
                         "SELECT " DRAFT_COLUMNS " FROM response_draft WHERE id = ?1",
                         &draft_id, 1, error);
  if (drafts == NULL)
    return NULL;
  if (drafts->len == 0)
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_NOT_FOUND,
                           _("The draft is no longer there; it was submitted or discarded"));
      return NULL;
    }

  return g_steal_pointer (&g_ptr_array_index (drafts, 0));
}

/**
 * pdm_training_find_draft:
 * @repository: a #PdmRepository
 * @form_id: the form
 * @participant_id: (nullable): the participant filling it in
 * @session_id: (nullable): the session it evaluates
 * @error: return location for a #GError
 *
 * The newest draft of @form_id for this participant and session, to go on
 * where someone stopped.
 *
 * Returns: (transfer full) (nullable): the draft, or %NULL (without @error)
 *   when there is none
 */
PdmResponseDraft *
pdm_training_find_draft (PdmRepository  *repository,
                         const char     *form_id,
                         const char     *participant_id,
                         const char     *session_id,
                         GError        **error)
{
  const char *params[] = { form_id, participant_id, session_id };
  g_autoptr(GPtrArray) drafts = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (form_id != NULL, NULL);

  drafts = query_drafts (repository,
                         "SELECT " DRAFT_COLUMNS " FROM response_draft "
                         "WHERE form_id = ?1 AND participant_id IS ?2 AND session_id IS ?3 "
                         "ORDER BY updated_at DESC, id DESC LIMIT 1",
                         params, 3, error);
  if (drafts == NULL || drafts->len == 0)
    return NULL;

  return g_steal_pointer (&g_ptr_array_index (drafts, 0));
}

/**
 * pdm_training_list_drafts:
 * @repository: a #PdmRepository
 * @training_id: the training
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type PdmResponseDraft): the
 *   drafts of the training on this device, the most recently saved first
 */
GPtrArray *
pdm_training_list_drafts (PdmRepository  *repository,
                          const char     *training_id,
                          GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (training_id != NULL, NULL);

  return query_drafts (repository,
                       "SELECT " DRAFT_COLUMNS " FROM response_draft WHERE training_id = ?1 "
                       "ORDER BY updated_at DESC, id DESC",
                       &training_id, 1, error);
}

gboolean
pdm_training_delete_draft (PdmRepository  *repository,
                           const char     *draft_id,
                           GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (draft_id != NULL, FALSE);

  stmt = pdm_repository_prepare_cached (repository, "DELETE FROM response_draft WHERE id = ?1",
                                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, draft_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE || db_failed (handle (repository), error);
}

/**
 * pdm_training_submit_draft:
 * @repository: a #PdmRepository
 * @draft_id: the draft
 * @score: the score the form engine computed, or -1 for a form without one
 * @max_score: the highest score possible, or -1
 * @error: return location for a #GError
 *
 * Turns the draft into a submitted response with the same key, in one
 * transaction: after a crash there is either the draft or the response,
 * never both and never neither.
 *
 * Returns: (transfer full): the response, or %NULL with @error set (the
 *   draft is then left as it was)
 */
PdmRecord *
pdm_training_submit_draft (PdmRepository  *repository,
                           const char     *draft_id,
                           gint64          score,
                           gint64          max_score,
                           GError        **error)
{
  g_autoptr(PdmResponseDraft) draft = NULL;
  g_autoptr(PdmRecord) response = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (draft_id != NULL, NULL);

  if (!pdm_repository_begin (repository, error))
    return NULL;

  draft = pdm_training_load_draft (repository, draft_id, error);
  if (draft == NULL)
    goto failed;

  response = pdm_record_new (PDM_TABLE_RESPONSE);
  response->id = g_strdup (draft->id);
  pdm_record_set (response, "form_id", draft->form_id);
  pdm_record_set (response, "training_id", draft->training_id);
  pdm_record_set (response, "participant_id", draft->participant_id);
  pdm_record_set (response, "session_id", draft->session_id);
  pdm_record_set (response, "answers", draft->answers);
  if (score >= 0)
    pdm_record_set_int (response, "score", score);
  if (max_score >= 0)
    pdm_record_set_int (response, "max_score", max_score);

  if (!submit_response (repository, response, error) ||
      !pdm_training_delete_draft (repository, draft_id, error))
    goto failed;

  if (!pdm_repository_commit (repository, error))
    return NULL;

  return g_steal_pointer (&response);

failed:
  pdm_repository_rollback (repository);
  return NULL;
}
