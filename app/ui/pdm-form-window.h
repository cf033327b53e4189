/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"
#include "pdm-form-view.h"

G_BEGIN_DECLS

#define PDM_TYPE_FORM_WINDOW (pdm_form_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmFormWindow, pdm_form_window, PDM, FORM_WINDOW, AdwWindow)

/*
 * Filling in the evaluation forms of one training: choose the form (and,
 * for a speaker evaluation, the session), then the participant, then fill
 * in a PdmFormView. Drafts are saved as one types; Submit ("form.submit",
 * Ctrl+Enter) stores the response, which is read-only from then on.
 *
 * Data-entry mode ("data-entry", "form.data-entry", Ctrl+E) is for typing
 * in a pile of paper forms with the keyboard alone: Enter on the last
 * question submits and brings the next participant without a response.
 */

PdmFormWindow *pdm_form_window_new              (PdmApplication *application,
                                                 const char     *training_id);
gboolean       pdm_form_window_select_form      (PdmFormWindow  *self,
                                                 const char     *form_key,
                                                 const char     *session_id);
const char    *pdm_form_window_get_form_key     (PdmFormWindow  *self);
void           pdm_form_window_show_participant (PdmFormWindow  *self,
                                                 const char     *participant_id);
const char    *pdm_form_window_get_participant  (PdmFormWindow  *self);
PdmFormView   *pdm_form_window_get_view         (PdmFormWindow  *self);
gboolean       pdm_form_window_is_read_only     (PdmFormWindow  *self);
guint          pdm_form_window_get_n_submitted  (PdmFormWindow  *self);
gboolean       pdm_form_window_get_data_entry   (PdmFormWindow  *self);
void           pdm_form_window_set_data_entry   (PdmFormWindow  *self,
                                                 gboolean        data_entry);

G_END_DECLS
