/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_CHECKIN_WINDOW (pdm_checkin_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmCheckinWindow, pdm_checkin_window, PDM, CHECKIN_WINDOW, AdwWindow)

/* Attendance of one session of a training, taken at the door: a search by
 * name or NIK as one types, Space or Enter on a participant to mark them,
 * each mark saved at once, and the count of who is present. */
PdmCheckinWindow *pdm_checkin_window_new              (PdmApplication   *application,
                                                       const char       *training_id);
const char       *pdm_checkin_window_get_session_id   (PdmCheckinWindow *self);
guint             pdm_checkin_window_get_n_present    (PdmCheckinWindow *self);

G_END_DECLS
