/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-record-labels"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-record-labels.h"
#include "pdm-ui-util.h"

/* The editors' words for the fields, so the inbox and the quarantine
 * speak as the forms do. */
typedef struct
{
  const char *table;
  const char *field;
  const char *label;
} FieldLabel;

static const FieldLabel field_labels[] = {
  { NULL, "nik", N_("NIK") },
  { NULL, "full_name", N_("Full name") },
  { NULL, "sex", N_("Sex") },
  { NULL, "birth_place", N_("Birth place") },
  { NULL, "birth_date", N_("Birth date") },
  { NULL, "address", N_("Street and house number") },
  { NULL, "kelurahan_code", N_("Kelurahan") },
  { NULL, "status", N_("Status") },
  { NULL, "notes", N_("Notes") },
  { NULL, "deleted", N_("Deleted") },
  { NULL, "household_id", N_("Household") },
  { NULL, "volunteer_id", N_("Assigned PSM") },
  { "household", "kk_number", N_("KK number") },
  { "household", "dtsen_id", N_("DTSEN ID") },
  { "household", "head_name", N_("Head of household") },
  { "household", "rt", N_("RT") },
  { "household", "rw", N_("RW") },
  { "household", "desil", N_("DTSEN desil") },
  { "household", "programs", N_("Programs") },
  { "person", "relationship", N_("Relationship to the head") },
  { "person", "disability", N_("Disability") },
  { "volunteer", "phone", N_("Phone") },
  { "volunteer", "sk_number", N_("Decree (SK) number") },
  { "volunteer", "sk_date", N_("Decree date") },
  { "volunteer", "education", N_("Education") },
  { "volunteer", "occupation", N_("Occupation") },
  { "volunteer", "joined_date", N_("Joined date") },
  { "visit", "visit_date", N_("Visit date") },
  { "visit", "kind", N_("Kind of visit") },
  { "visit", "findings", N_("Findings") },
  { "visit", "follow_up_date", N_("Follow-up date") },
  { "visit", "outcome", N_("Outcome") },
};

const char *
pdm_field_get_label (const char *table,
                     const char *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if ((field_labels[i].table == NULL || g_strcmp0 (field_labels[i].table, table) == 0) &&
        g_str_equal (field_labels[i].field, field))
      return _(field_labels[i].label);

  return field;
}

/* "Household of Budi Santoso", "Siti Aminah", or the id when the record
 * is not here (any more). */
char *
pdm_record_describe (PdmRepository *repository,
                     const char    *table,
                     const char    *row_id)
{
  const PdmTableInfo *info = pdm_table_info_lookup (table);
  g_autoptr(PdmRecord) record = NULL;
  const char *name = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);

  if (info != NULL)
    record = pdm_repository_get (repository, info->table, row_id, NULL);
  if (record == NULL)
    return g_strdup (row_id);

  switch (info->table)
    {
    case PDM_TABLE_HOUSEHOLD:
      name = pdm_record_get (record, "head_name");
      if (name != NULL)
        /* Translators: %s is the name of the head of a household */
        return g_strdup_printf (_("Household of %s"), name);
      break;

    case PDM_TABLE_PERSON:
    case PDM_TABLE_VOLUNTEER:
      name = pdm_record_get (record, "full_name");
      break;

    case PDM_TABLE_VISIT:
      name = pdm_record_get (record, "visit_date");
      if (name != NULL)
        {
          g_autofree char *date = pdm_format_date (name);

          /* Translators: %s is the date of a home visit */
          return g_strdup_printf (_("Visit of %s"), date);
        }
      break;

    case PDM_TABLE_PROPOSAL:
    case PDM_N_TABLES:
    default:
      break;
    }

  return g_strdup (name != NULL ? name : row_id);
}

char *
pdm_value_describe (const char *value)
{
  if (value == NULL || *value == '\0')
    return g_strdup (_("(empty)"));

  return g_strdup (value);
}

/* "Street and house number: Jl. Sudirman No. 3", what a proposal would
 * change. */
char *
pdm_proposal_describe (const PdmRecord *proposal)
{
  g_autofree char *value = NULL;
  const char *field;

  g_return_val_if_fail (proposal != NULL && proposal->info->table == PDM_TABLE_PROPOSAL, NULL);

  field = pdm_record_get (proposal, "field");
  value = pdm_value_describe (pdm_record_get (proposal, "new_value"));

  /* Translators: a field, then the value proposed for it */
  return g_strdup_printf (C_("proposal", "%s: %s"),
                          field != NULL ? pdm_field_get_label (pdm_record_get (proposal,
                                                                               "target_table"),
                                                               field)
                                        : "—",
                          value);
}

/* "this computer, 10.42" or "device 3fa2b1c0, 25 November 2025 09.15":
 * who wrote a value and when, from its change stamp. */
char *
pdm_stamp_describe (PdmRepository *repository,
                    const char    *stamp)
{
  guint64 hlc, device_id;
  g_autofree char *time = NULL;
  g_autofree char *who = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);

  if (stamp == NULL || !pdm_stamp_parse (stamp, &hlc, &device_id))
    return g_strdup (_("unknown"));

  time = pdm_format_time (pdm_hlc_get_wall_ms (hlc) / 1000);
  if (device_id == pdm_repository_get_device_id (repository))
    who = g_strdup (_("this computer"));
  else
    /* Translators: %s is the short form of another computer's id */
    who = g_strdup_printf (_("device %.8s"), stamp + 16);

  /* Translators: who wrote a value, then when */
  return g_strdup_printf (C_("written by", "%s, %s"), who, time);
}
