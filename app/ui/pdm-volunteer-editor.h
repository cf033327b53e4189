/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-record-editor.h"

G_BEGIN_DECLS

#define PDM_TYPE_VOLUNTEER_EDITOR (pdm_volunteer_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdmVolunteerEditor, pdm_volunteer_editor, PDM, VOLUNTEER_EDITOR, PdmRecordEditor)

/* Edits @volunteer, or a new PSM volunteer of the device's kelurahan when
 * NULL. */
PdmVolunteerEditor *pdm_volunteer_editor_new (PdmApplication  *application,
                                              const PdmRecord *volunteer);

G_END_DECLS
