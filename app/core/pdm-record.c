/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-record"

#include "config.h"

#include "pdm-record.h"

/* These lists are the columns of migration 2, in its order. */
static const PdmFieldInfo volunteer_fields[] = {
  { "nik" }, { "full_name" }, { "sex" }, { "birth_place" }, { "birth_date" }, { "phone" },
  { "address" }, { "kelurahan_code" }, { "education" }, { "occupation" }, { "joined_date" },
  { "sk_number" }, { "sk_date" }, { "status" }, { "notes" }, { "deleted", TRUE },
};

static const PdmFieldInfo household_fields[] = {
  { "kk_number" }, { "dtsen_id" }, { "head_name" }, { "address" }, { "rt" }, { "rw" },
  { "kelurahan_code" }, { "desil", TRUE }, { "programs" }, { "volunteer_id" }, { "status" },
  { "notes" }, { "deleted", TRUE },
};

static const PdmFieldInfo person_fields[] = {
  { "household_id" }, { "nik" }, { "full_name" }, { "sex" }, { "birth_place" },
  { "birth_date" }, { "relationship" }, { "disability" }, { "notes" }, { "deleted", TRUE },
};

static const PdmFieldInfo visit_fields[] = {
  { "household_id" }, { "volunteer_id" }, { "visit_date" }, { "kind" }, { "findings" },
  { "follow_up_date" }, { "outcome" }, { "deleted", TRUE },
};

static const PdmFieldInfo proposal_fields[] = {
  { "target_table" }, { "target_id" }, { "field" }, { "old_value" }, { "new_value" },
  { "reason" }, { "proposer" }, { "status" }, { "deleted", TRUE },
};

/* These are the columns of migration 5, in its order. */
static const PdmFieldInfo training_fields[] = {
  { "title" }, { "start_date" }, { "end_date" }, { "venue" }, { "organiser" }, { "notes" },
  { "deleted", TRUE },
};

static const PdmFieldInfo training_session_fields[] = {
  { "training_id" }, { "topic" }, { "speaker" }, { "institution" }, { "session_date" },
  { "start_time" }, { "end_time" }, { "position", TRUE }, { "deleted", TRUE },
};

static const PdmFieldInfo participant_fields[] = {
  { "training_id" }, { "volunteer_id" }, { "kelurahan_code" }, { "deleted", TRUE },
};

static const PdmFieldInfo attendance_fields[] = {
  { "session_id" }, { "participant_id" }, { "present", TRUE }, { "deleted", TRUE },
};

static const PdmFieldInfo form_fields[] = {
  { "form_key" }, { "version", TRUE }, { "title" }, { "kind" }, { "definition" },
  { "deleted", TRUE },
};

static const PdmFieldInfo response_fields[] = {
  { "form_id" }, { "training_id" }, { "participant_id" }, { "session_id" }, { "answers" },
  { "score", TRUE }, { "max_score", TRUE }, { "submitted_at" }, { "deleted", TRUE },
};

/* A participant's and an attendance mark's keys are made from what they
 * join (pdm-training.h), so two devices that add the same PSM or mark the
 * same check-in write one record: concurrent writes of it are the same
 * fact, not worth a person's decision. */
static const PdmTableInfo tables[PDM_N_TABLES] = {
  { PDM_TABLE_VOLUNTEER, "volunteer", volunteer_fields, G_N_ELEMENTS (volunteer_fields) },
  { PDM_TABLE_HOUSEHOLD, "household", household_fields, G_N_ELEMENTS (household_fields) },
  { PDM_TABLE_PERSON, "person", person_fields, G_N_ELEMENTS (person_fields) },
  { PDM_TABLE_VISIT, "visit", visit_fields, G_N_ELEMENTS (visit_fields) },
  { PDM_TABLE_PROPOSAL, "proposal", proposal_fields, G_N_ELEMENTS (proposal_fields) },
  { PDM_TABLE_TRAINING, "training", training_fields, G_N_ELEMENTS (training_fields),
    PDM_TABLE_FLAG_SHARED },
  { PDM_TABLE_TRAINING_SESSION, "training_session", training_session_fields,
    G_N_ELEMENTS (training_session_fields), PDM_TABLE_FLAG_SHARED },
  { PDM_TABLE_PARTICIPANT, "participant", participant_fields, G_N_ELEMENTS (participant_fields),
    PDM_TABLE_FLAG_SHARED | PDM_TABLE_FLAG_NO_CONFLICTS },
  { PDM_TABLE_ATTENDANCE, "attendance", attendance_fields, G_N_ELEMENTS (attendance_fields),
    PDM_TABLE_FLAG_SHARED | PDM_TABLE_FLAG_NO_CONFLICTS },
  { PDM_TABLE_FORM, "form", form_fields, G_N_ELEMENTS (form_fields),
    PDM_TABLE_FLAG_SHARED | PDM_TABLE_FLAG_SERVER_ONLY },
  { PDM_TABLE_RESPONSE, "response", response_fields, G_N_ELEMENTS (response_fields),
    PDM_TABLE_FLAG_SHARED | PDM_TABLE_FLAG_NO_CONFLICTS | PDM_TABLE_FLAG_IMMUTABLE },
};

G_DEFINE_BOXED_TYPE (PdmRecord, pdm_record, pdm_record_copy, pdm_record_free)

const PdmTableInfo *
pdm_table_info_get (PdmTable table)
{
  g_return_val_if_fail (table < PDM_N_TABLES, NULL);

  return &tables[table];
}

/* NULL for a name that is not a synced table: sync refuses such changes. */
const PdmTableInfo *
pdm_table_info_lookup (const char *name)
{
  for (guint i = 0; name != NULL && i < PDM_N_TABLES; i++)
    if (g_str_equal (tables[i].name, name))
      return &tables[i];

  return NULL;
}

int
pdm_table_info_find_field (const PdmTableInfo *info,
                           const char         *field)
{
  g_return_val_if_fail (info != NULL, -1);

  for (guint i = 0; field != NULL && i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, field))
      return (int) i;

  return -1;
}

PdmRecord *
pdm_record_new (PdmTable table)
{
  PdmRecord *record;

  g_return_val_if_fail (table < PDM_N_TABLES, NULL);

  record = g_new0 (PdmRecord, 1);
  record->info = &tables[table];
  record->values = g_new0 (char *, record->info->n_fields + 1);

  return record;
}

PdmRecord *
pdm_record_copy (const PdmRecord *record)
{
  PdmRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = pdm_record_new (record->info->table);
  copy->id = g_strdup (record->id);
  for (guint i = 0; i < record->info->n_fields; i++)
    copy->values[i] = g_strdup (record->values[i]);

  return copy;
}

void
pdm_record_free (PdmRecord *record)
{
  if (record == NULL)
    return;

  for (guint i = 0; i < record->info->n_fields; i++)
    g_free (record->values[i]);
  g_free (record->values);
  g_free (record->id);
  g_free (record);
}

const char *
pdm_record_get (const PdmRecord *record,
                const char      *field)
{
  int index;

  g_return_val_if_fail (record != NULL, NULL);

  index = pdm_table_info_find_field (record->info, field);
  g_return_val_if_fail (index >= 0, NULL);

  return record->values[index];
}

void
pdm_record_set (PdmRecord  *record,
                const char *field,
                const char *value)
{
  int index;

  g_return_if_fail (record != NULL);

  index = pdm_table_info_find_field (record->info, field);
  g_return_if_fail (index >= 0);

  g_free (record->values[index]);
  record->values[index] = g_strdup (value);
}

void
pdm_record_set_int (PdmRecord  *record,
                    const char *field,
                    gint64      value)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  pdm_record_set (record, field, text);
}

gboolean
pdm_record_is_deleted (const PdmRecord *record)
{
  const char *deleted = pdm_record_get (record, "deleted");

  return deleted != NULL && g_strcmp0 (deleted, "0") != 0;
}
