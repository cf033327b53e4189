/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_PARTICIPANT_PICKER (pdm_participant_picker_get_type ())

G_DECLARE_FINAL_TYPE (PdmParticipantPicker, pdm_participant_picker, PDM, PARTICIPANT_PICKER, AdwWindow)

/* The PSM registry with a tick for each participant of one training: a
 * tick adds the PSM, taking it off removes them, each saved at once. */
PdmParticipantPicker *pdm_participant_picker_new (PdmApplication *application,
                                                  const char     *training_id);

G_END_DECLS
