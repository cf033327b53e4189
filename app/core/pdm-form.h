/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "pdm-expr.h"

G_BEGIN_DECLS

/*
 * Training evaluation forms: a definition (docs/forms.md, checked against
 * docs/forms.schema.json) parsed from JSON into a PdmForm, and the answers
 * to it.
 *
 * A definition is checked whole when it is loaded: anything wrong (an
 * unknown key or type, a duplicate id, an expression that does not parse or
 * refers to a missing or later question, an answer key that is not an
 * option...) refuses it with PDM_ERROR_INVALID_DATA and a translated message
 * that starts with the JSON path of the culprit, such as
 * "$.sections[1].questions[3].relevant: Character 7: …".
 *
 * Answers are a JsonObject from question id to a JSON value:
 *
 *   single_choice   string, the option's value
 *   multiple_choice array of strings, the values of the options chosen
 *   likert          number, the value of the scale point
 *   yes_no          boolean
 *   short_text,
 *   long_text       string
 *   number          number
 *   date            string, YYYY-MM-DD
 *
 * A missing member, null, "" and [] all mean "not answered".
 *
 * Sections and questions belong to their form: the pointers stay valid as
 * long as the form does. A loaded form never changes, so one form can serve
 * several threads at once (a report worker and the UI).
 */

typedef enum
{
  PDM_QUESTION_SINGLE_CHOICE,
  PDM_QUESTION_MULTIPLE_CHOICE,
  PDM_QUESTION_LIKERT,
  PDM_QUESTION_YES_NO,
  PDM_QUESTION_SHORT_TEXT,
  PDM_QUESTION_LONG_TEXT,
  PDM_QUESTION_NUMBER,
  PDM_QUESTION_DATE,
} PdmQuestionType;

/* One option of a choice question or one point of a Likert scale. */
typedef struct
{
  /* The value stored in the answers; for a scale point, its number as
   * text ("4"), for display only: a Likert answer is the number. */
  const char *value;
  const char *label;
  /* A scale point's number; NAN for an option of a choice question. */
  double      number;
} PdmFormOption;

typedef struct _PdmForm         PdmForm;
typedef struct _PdmFormSection  PdmFormSection;
typedef struct _PdmFormQuestion PdmFormQuestion;

/* A problem of a set of answers, for the UI to show at the question. */
typedef struct
{
  /* The question, or for an answer to no question of the form, its key. */
  char *question_id;
  /* Translated, without the question's label: "An answer is required". */
  char *message;
} PdmFormProblem;

/* Where shipped forms live in the core's resources. */
#define PDM_FORM_RESOURCE_PATH "/io/github/pendamping/Pendamping/core/forms"

#define PDM_TYPE_FORM (pdm_form_get_type ())
#define PDM_TYPE_FORM_PROBLEM (pdm_form_problem_get_type ())

GType                  pdm_form_get_type                 (void) G_GNUC_CONST;
GType                  pdm_form_problem_get_type         (void) G_GNUC_CONST;

/* Loading */

PdmForm               *pdm_form_new_from_json            (JsonNode            *root,
                                                          GError             **error);
PdmForm               *pdm_form_new_from_string          (const char          *text,
                                                          gssize               length,
                                                          GError             **error);
PdmForm               *pdm_form_new_from_bytes           (GBytes              *bytes,
                                                          GError             **error);
PdmForm               *pdm_form_new_from_resource        (const char          *path,
                                                          GError             **error);
char                 **pdm_form_list_shipped             (void);
GPtrArray             *pdm_form_load_shipped             (GError             **error);

PdmForm               *pdm_form_ref                      (PdmForm             *form);
void                   pdm_form_unref                    (PdmForm             *form);

/* The form */

const char            *pdm_form_get_id                   (PdmForm             *form);
gint64                 pdm_form_get_version              (PdmForm             *form);
const char            *pdm_form_get_title                (PdmForm             *form);
const char            *pdm_form_get_kind                 (PdmForm             *form);
const char            *pdm_form_get_description          (PdmForm             *form);
gboolean               pdm_form_has_pass_threshold       (PdmForm             *form);
double                 pdm_form_get_pass_threshold       (PdmForm             *form);
gboolean               pdm_form_is_scored                (PdmForm             *form);
double                 pdm_form_get_max_score            (PdmForm             *form);

guint                  pdm_form_get_n_sections           (PdmForm             *form);
PdmFormSection        *pdm_form_get_section              (PdmForm             *form,
                                                          guint                index);
guint                  pdm_form_get_n_questions          (PdmForm             *form);
PdmFormQuestion       *pdm_form_get_question             (PdmForm             *form,
                                                          guint                index);
PdmFormQuestion       *pdm_form_lookup_question          (PdmForm             *form,
                                                          const char          *id);

/* Sections */

const char            *pdm_form_section_get_id           (PdmFormSection      *section);
const char            *pdm_form_section_get_title        (PdmFormSection      *section);
const char            *pdm_form_section_get_description  (PdmFormSection      *section);
PdmExpr               *pdm_form_section_get_relevant     (PdmFormSection      *section);
guint                  pdm_form_section_get_n_questions  (PdmFormSection      *section);
PdmFormQuestion       *pdm_form_section_get_question     (PdmFormSection      *section,
                                                          guint                index);

/* Questions */

const char            *pdm_form_question_get_id          (PdmFormQuestion     *question);
PdmQuestionType        pdm_form_question_get_question_type (PdmFormQuestion   *question);
const char            *pdm_form_question_get_label       (PdmFormQuestion     *question);
const char            *pdm_form_question_get_hint        (PdmFormQuestion     *question);
gboolean               pdm_form_question_get_required    (PdmFormQuestion     *question);
guint                  pdm_form_question_get_index       (PdmFormQuestion     *question);
PdmFormSection        *pdm_form_question_get_section     (PdmFormQuestion     *question);
const PdmFormOption   *pdm_form_question_get_options     (PdmFormQuestion     *question,
                                                          guint               *n_options);
const PdmFormOption   *pdm_form_question_find_option     (PdmFormQuestion     *question,
                                                          JsonNode            *value);
const char            *pdm_form_question_get_scale_name  (PdmFormQuestion     *question);
double                 pdm_form_question_get_min         (PdmFormQuestion     *question);
double                 pdm_form_question_get_max         (PdmFormQuestion     *question);
gboolean               pdm_form_question_get_integer     (PdmFormQuestion     *question);
PdmExpr               *pdm_form_question_get_relevant    (PdmFormQuestion     *question);
PdmExpr               *pdm_form_question_get_constraint  (PdmFormQuestion     *question);
const char            *pdm_form_question_get_constraint_message (PdmFormQuestion *question);
PdmExpr               *pdm_form_question_get_calculate   (PdmFormQuestion     *question);
gboolean               pdm_form_question_is_calculated   (PdmFormQuestion     *question);
gboolean               pdm_form_question_is_scored       (PdmFormQuestion     *question);
JsonNode              *pdm_form_question_get_correct     (PdmFormQuestion     *question);
double                 pdm_form_question_get_points      (PdmFormQuestion     *question);
gboolean               pdm_form_question_is_correct      (PdmFormQuestion     *question,
                                                          JsonNode            *answer);

const char            *pdm_question_type_to_string       (PdmQuestionType      type);

/* Answers */

JsonObject            *pdm_form_answers_new_from_string  (const char          *text,
                                                          GError             **error);
char                  *pdm_form_answers_to_string        (JsonObject          *answers);
gboolean               pdm_form_answer_is_empty          (JsonNode            *answer);

gboolean               pdm_form_section_is_relevant      (PdmForm             *form,
                                                          PdmFormSection      *section,
                                                          JsonObject          *answers);
gboolean               pdm_form_question_is_relevant     (PdmForm             *form,
                                                          PdmFormQuestion     *question,
                                                          JsonObject          *answers);
JsonObject            *pdm_form_compute                  (PdmForm             *form,
                                                          JsonObject          *answers);
gboolean               pdm_form_validate_answers         (PdmForm             *form,
                                                          JsonObject          *answers,
                                                          GPtrArray          **problems);

PdmFormProblem        *pdm_form_problem_new              (const char          *question_id,
                                                          const char          *message);
PdmFormProblem        *pdm_form_problem_copy             (const PdmFormProblem *problem);
void                   pdm_form_problem_free             (PdmFormProblem      *problem);

/* Scoring */

gboolean               pdm_form_score                    (PdmForm             *form,
                                                          JsonObject          *answers,
                                                          double              *out_score,
                                                          double              *out_max);
double                 pdm_score_percent                 (double               score,
                                                          double               max);
gboolean               pdm_form_passes                   (PdmForm             *form,
                                                          double               percent);

/* Pre-test to post-test gain: see docs/forms.md. */
typedef enum
{
  PDM_GAIN_UNDEFINED,   /* no room to improve (pre = max), or no scores */
  PDM_GAIN_LOSS,        /* g < 0: the post-test is worse */
  PDM_GAIN_LOW,         /* 0 <= g < 0.3 */
  PDM_GAIN_MEDIUM,      /* 0.3 <= g < 0.7 */
  PDM_GAIN_HIGH,        /* g >= 0.7 */
} PdmGainCategory;

double                 pdm_gain_absolute                 (double               pre,
                                                          double               post);
double                 pdm_gain_normalized               (double               pre,
                                                          double               post,
                                                          double               max);
PdmGainCategory        pdm_gain_categorize               (double               gain);
const char            *pdm_gain_category_to_string       (PdmGainCategory      category);
char                  *pdm_gain_format                   (double               gain);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmForm, pdm_form_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmFormProblem, pdm_form_problem_free)

G_END_DECLS
