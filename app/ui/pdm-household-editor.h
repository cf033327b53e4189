/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-record-editor.h"

G_BEGIN_DECLS

#define PDM_TYPE_HOUSEHOLD_EDITOR (pdm_household_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdmHouseholdEditor, pdm_household_editor, PDM, HOUSEHOLD_EDITOR, PdmRecordEditor)

/* Edits @household, or a new household of the device's kelurahan when NULL. */
PdmHouseholdEditor *pdm_household_editor_new (PdmApplication  *application,
                                              const PdmRecord *household);

G_END_DECLS
