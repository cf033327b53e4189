/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "pdm-form.h"

G_BEGIN_DECLS

#define PDM_TYPE_FORM_VIEW (pdm_form_view_get_type ())

G_DECLARE_FINAL_TYPE (PdmFormView, pdm_form_view, PDM, FORM_VIEW, GtkWidget)

/*
 * A PdmForm drawn from its definition, to be filled in: its sections, and
 * under each question the input its type asks for, numbered options, the
 * problem of the last pdm_form_view_validate() and, for a calculated
 * question, its value. Skip logic and calculations follow every change.
 *
 * In data-entry mode ("data-entry"), made for typing in a pile of paper
 * forms, the current question is highlighted and the keyboard drives the
 * form: 1–9 choose the nth option of a choice, Likert or yes/no question
 * and go to the next question, Enter goes to the next question (from a
 * text field too; Shift+Enter is a new line in a long text), Up, and
 * Backspace in an empty field, go back, Delete clears a choice. Enter on
 * the last question emits PdmFormView::entry-finished.
 */

GtkWidget       *pdm_form_view_new                  (PdmForm     *form);
PdmForm         *pdm_form_view_get_form             (PdmFormView *self);

JsonObject      *pdm_form_view_get_answers          (PdmFormView *self);
void             pdm_form_view_set_answers          (PdmFormView *self,
                                                     JsonObject  *answers);
void             pdm_form_view_set_answer           (PdmFormView *self,
                                                     const char  *question_id,
                                                     JsonNode    *answer);

gboolean         pdm_form_view_get_editable         (PdmFormView *self);
void             pdm_form_view_set_editable         (PdmFormView *self,
                                                     gboolean     editable);
gboolean         pdm_form_view_get_data_entry       (PdmFormView *self);
void             pdm_form_view_set_data_entry       (PdmFormView *self,
                                                     gboolean     data_entry);

PdmFormQuestion *pdm_form_view_get_current          (PdmFormView *self);
void             pdm_form_view_set_current          (PdmFormView *self,
                                                     PdmFormQuestion *question);
void             pdm_form_view_go_first             (PdmFormView *self);

gboolean         pdm_form_view_validate             (PdmFormView *self);
void             pdm_form_view_clear_problems       (PdmFormView *self);
const char      *pdm_form_view_get_problem          (PdmFormView *self,
                                                     const char  *question_id);

gboolean         pdm_form_view_is_shown             (PdmFormView *self,
                                                     const char  *question_id);
const char      *pdm_form_view_get_shown_value      (PdmFormView *self,
                                                     const char  *question_id);
GtkWidget       *pdm_form_view_get_input            (PdmFormView *self,
                                                     const char  *question_id);

G_END_DECLS
