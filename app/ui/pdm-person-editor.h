/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-record-editor.h"

G_BEGIN_DECLS

#define PDM_TYPE_PERSON_EDITOR (pdm_person_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdmPersonEditor, pdm_person_editor, PDM, PERSON_EDITOR, PdmRecordEditor)

/* Edits @person, or a new member of the household @household_id when NULL. */
PdmPersonEditor *pdm_person_editor_new (PdmApplication  *application,
                                        const char      *household_id,
                                        const PdmRecord *person);

G_END_DECLS
