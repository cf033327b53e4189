/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-repository.h"

G_BEGIN_DECLS

/*
 * Trainings, their sessions, participants and attendance, the evaluation
 * forms and the responses to them: the records of the issue "Training
 * evaluation", written through the repository like every synced record.
 *
 * Trainings and sessions are created, edited, deleted and restored with
 * pdm_rules_save(), pdm_repository_delete() and pdm_repository_restore()
 * (PDM_TABLE_TRAINING, PDM_TABLE_TRAINING_SESSION); the functions below do
 * what needs more than one record or a derived key.
 *
 * Keys: a participant's is derived from its training and PSM, an attendance
 * mark's from its session and participant, a form's from its key and
 * version (UUIDv5, pdm_uuid_derive()), so two devices that record the same
 * fact write the same record and sync merges them into one.
 */

/* The stamp of every field of a shipped form: clock 0 and device 0, which
 * no enrolled device can have, so seeded copies are identical everywhere
 * and merging them changes nothing. */
#define PDM_SHIPPED_STAMP "00000000000000000000000000000000"

/* One participant as the check-in list shows it. */
typedef struct
{
  PdmRecord *participant;
  char      *full_name;       /* the PSM's */
  char      *nik;
  char      *kelurahan_name;  /* of the participant's kelurahan_code */
} PdmParticipantRow;

/* A training a PSM took part in, for the PSM's history. */
typedef struct
{
  PdmRecord *training;
  guint      n_sessions;  /* not deleted */
  guint      n_attended;  /* of those, marked present */
} PdmTrainingHistoryRow;

/* A form being filled in on this device: kept locally, never synced. */
typedef struct
{
  char *id;
  char *form_id;
  char *training_id;
  char *participant_id;
  char *session_id;
  char *answers;      /* a JSON object */
  char *updated_at;   /* ISO 8601, set when saved */
} PdmResponseDraft;

#define PDM_TYPE_PARTICIPANT_ROW  (pdm_participant_row_get_type ())
#define PDM_TYPE_RESPONSE_DRAFT   (pdm_response_draft_get_type ())

GType              pdm_participant_row_get_type      (void) G_GNUC_CONST;
PdmParticipantRow *pdm_participant_row_copy          (const PdmParticipantRow *row);
void               pdm_participant_row_free          (PdmParticipantRow       *row);

void               pdm_training_history_row_free     (PdmTrainingHistoryRow   *row);

GType              pdm_response_draft_get_type       (void) G_GNUC_CONST;
PdmResponseDraft  *pdm_response_draft_new            (void);
PdmResponseDraft  *pdm_response_draft_copy           (const PdmResponseDraft  *draft);
void               pdm_response_draft_free           (PdmResponseDraft        *draft);

/* Derived keys. */
char              *pdm_training_participant_id       (const char              *training_id,
                                                      const char              *volunteer_id);
char              *pdm_training_attendance_id        (const char              *session_id,
                                                      const char              *participant_id);
char              *pdm_training_form_id              (const char              *form_key,
                                                      gint64                   version);

/* Trainings and sessions (not deleted). */
GPtrArray         *pdm_training_list                 (PdmRepository           *repository,
                                                      GError                 **error);
GPtrArray         *pdm_training_list_sessions        (PdmRepository           *repository,
                                                      const char              *training_id,
                                                      GError                 **error);

/* Participants and attendance. */
PdmRecord         *pdm_training_add_participant      (PdmRepository           *repository,
                                                      const char              *training_id,
                                                      const char              *volunteer_id,
                                                      GError                 **error);
gboolean           pdm_training_remove_participant   (PdmRepository           *repository,
                                                      const char              *participant_id,
                                                      GError                 **error);
GPtrArray         *pdm_training_list_for_volunteer   (PdmRepository           *repository,
                                                      const char              *volunteer_id,
                                                      GError                 **error);
GPtrArray         *pdm_training_list_participants    (PdmRepository           *repository,
                                                      const char              *training_id,
                                                      const char              *filter,
                                                      GError                 **error);
gboolean           pdm_training_set_attendance       (PdmRepository           *repository,
                                                      const char              *session_id,
                                                      const char              *participant_id,
                                                      gboolean                 present,
                                                      GError                 **error);
GHashTable        *pdm_training_get_attendance       (PdmRepository           *repository,
                                                      const char              *session_id,
                                                      GError                 **error);

/* Forms. */
gboolean           pdm_training_seed_forms           (sqlite3                 *db,
                                                      GPtrArray               *out_new_ids,
                                                      GError                 **error);
gboolean           pdm_training_seed_form_json       (sqlite3                 *db,
                                                      const char              *json,
                                                      gsize                    length,
                                                      char                   **out_id,
                                                      gboolean                *out_inserted,
                                                      GError                 **error);
PdmRecord         *pdm_training_get_form             (PdmRepository           *repository,
                                                      const char              *form_key,
                                                      gint64                   version,
                                                      GError                 **error);
GPtrArray         *pdm_training_list_forms           (PdmRepository           *repository,
                                                      gboolean                 newest_only,
                                                      GError                 **error);

/* Responses (append-only) and drafts (local). */
gboolean           pdm_training_submit_response      (PdmRepository           *repository,
                                                      PdmRecord               *response,
                                                      GError                 **error);
GPtrArray         *pdm_training_list_responses       (PdmRepository           *repository,
                                                      const char              *training_id,
                                                      const char              *form_id,
                                                      GError                 **error);
gboolean           pdm_training_save_draft           (PdmRepository           *repository,
                                                      PdmResponseDraft        *draft,
                                                      GError                 **error);
PdmResponseDraft  *pdm_training_load_draft           (PdmRepository           *repository,
                                                      const char              *draft_id,
                                                      GError                 **error);
PdmResponseDraft  *pdm_training_find_draft           (PdmRepository           *repository,
                                                      const char              *form_id,
                                                      const char              *participant_id,
                                                      const char              *session_id,
                                                      GError                 **error);
GPtrArray         *pdm_training_list_drafts          (PdmRepository           *repository,
                                                      const char              *training_id,
                                                      GError                 **error);
gboolean           pdm_training_delete_draft         (PdmRepository           *repository,
                                                      const char              *draft_id,
                                                      GError                 **error);
PdmRecord         *pdm_training_submit_draft         (PdmRepository           *repository,
                                                      const char              *draft_id,
                                                      gint64                   score,
                                                      gint64                   max_score,
                                                      GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmParticipantRow, pdm_participant_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmTrainingHistoryRow, pdm_training_history_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmResponseDraft, pdm_response_draft_free)

G_END_DECLS
