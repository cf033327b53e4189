/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-form"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pdm-error.h"
#include "pdm-form.h"

/* Definitions in these tests write JSON's double quotes as backquotes, so
 * that expressions keep their single quotes and the C stays readable. */
static char *
unquote (const char *text)
{
  char *json = g_strdup (text);

  g_strdelimit (json, "`", '"');
  return json;
}

#define FORM_HEAD "{`id`: `t`, `version`: 1, `title`: `T`, `kind`: `survey`, "
#define ONE_SECTION(questions) \
  FORM_HEAD "`sections`: [{`id`: `s`, `title`: `S`, `questions`: [" questions "]}]}"
#define TEXT_Q(id) "{`id`: `" id "`, `type`: `short_text`, `label`: `L`}"
#define CHOICE_Q(id) \
  "{`id`: `" id "`, `type`: `single_choice`, `label`: `L`, `options`: [" \
  "{`value`: `a`, `label`: `A`}, {`value`: `b`, `label`: `B`}]"

static PdmForm *
load (const char *text)
{
  g_autofree char *json = unquote (text);
  g_autoptr(GError) error = NULL;
  PdmForm *form;

  form = pdm_form_new_from_string (json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (form);

  return form;
}

static JsonObject *
answers (const char *text)
{
  g_autofree char *json = unquote (text);
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  object = pdm_form_answers_new_from_string (json, &error);
  g_assert_no_error (error);

  return object;
}

/* The whole message: where (the JSON path) and why, nothing else. */
static void
assert_refused (const char *text,
                const char *expected)
{
  g_autofree char *json = unquote (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmForm) form = NULL;

  form = pdm_form_new_from_string (json, -1, &error);
  g_assert_null (form);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  if (!g_str_equal (error->message, expected))
    g_error ("Refused with\n  “%s”\ninstead of\n  “%s”", error->message, expected);
}

static void
test_definition_structure_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmForm) form = pdm_form_new_from_string ("{\"id\": ", -1, &error);

  g_assert_null (form);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "The form definition is not valid JSON: "));

  assert_refused ("[]", "$: must be a JSON object ({ … })");
  assert_refused (FORM_HEAD "`colour`: `red`, `sections`: []}",
                  "$.colour: unknown key; the keys here are $schema, id, version, title, kind, "
                  "description, pass_threshold, scales, sections");
  assert_refused ("{`id`: `t`, `title`: `T`, `kind`: `survey`, `sections`: []}",
                  "$: the key “version” is missing");
  assert_refused ("{`id`: `t`, `version`: `1`, `title`: `T`, `kind`: `survey`, `sections`: []}",
                  "$.version: must be a whole number, 1 or more");
  assert_refused ("{`id`: `t`, `version`: 1.5, `title`: `T`, `kind`: `survey`, `sections`: []}",
                  "$.version: must be a whole number, 1 or more");
  assert_refused ("{`id`: `t`, `version`: 0, `title`: `T`, `kind`: `survey`, `sections`: []}",
                  "$.version: must be a whole number, 1 or more");
  assert_refused ("{`id`: `PSM Pre`, `version`: 1, `title`: `T`, `kind`: `survey`, "
                  "`sections`: []}",
                  "$.id: “PSM Pre” is not a valid form id: it has only lowercase letters, "
                  "digits, “_” and “-”");
  assert_refused ("{`id`: `t`, `version`: 1, `title`: ` `, `kind`: `survey`, `sections`: []}",
                  "$.title: must not be empty");
  assert_refused ("{`id`: `t`, `version`: 1, `title`: 3, `kind`: `survey`, `sections`: []}",
                  "$.title: must be a text in double quotes");
  assert_refused ("{`id`: `t`, `version`: 1, `title`: `T`, `kind`: `quiz`, `sections`: []}",
                  "$.kind: “quiz” is not a kind of form; the kinds are test, evaluation, survey");
  assert_refused (FORM_HEAD "`sections`: []}", "$.sections: must have at least 1 entry");
  assert_refused (FORM_HEAD "`sections`: {}}", "$.sections: must be a list ([ … ])");
  assert_refused (FORM_HEAD "`sections`: [{`id`: `s`, `title`: `S`, `questions`: []}]}",
                  "$.sections[0].questions: must have at least 1 entry");
  assert_refused (FORM_HEAD "`sections`: [{`id`: `s`, `title`: `S`, `questions`: [" TEXT_Q ("a")
                  "]}, {`id`: `s`, `title`: `S2`, `questions`: [" TEXT_Q ("b") "]}]}",
                  "$.sections[1].id: the id “s” is already used by $.sections[0]");
  assert_refused (FORM_HEAD "`sections`: [{`id`: `s`, `title`: `S`, `questions`: [" TEXT_Q ("q1")
                  "]}, {`id`: `s2`, `title`: `S2`, `questions`: [" TEXT_Q ("q2") ", "
                  TEXT_Q ("q1") "]}]}",
                  "$.sections[1].questions[1].id: the id “q1” is already used by "
                  "$.sections[0].questions[0]");
  assert_refused (FORM_HEAD "`sections`: [{`id`: `s`, `title`: `S`, `hidden`: true, "
                  "`questions`: [" TEXT_Q ("a") "]}]}",
                  "$.sections[0].hidden: unknown key; the keys here are id, title, description, "
                  "relevant, questions");
}

static void
test_definition_question_errors (void)
{
  assert_refused (ONE_SECTION (TEXT_Q ("q1") ", {`id`: `q2`, `type`: `slider`, `label`: `L`}"),
                  "$.sections[0].questions[1].type: “slider” is not a question type; the types "
                  "are single_choice, multiple_choice, likert, yes_no, short_text, long_text, "
                  "number, date");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, "
                               "`relevent`: `true`}"),
                  "$.sections[0].questions[0].relevent: unknown key; the keys here are id, type, "
                  "label, hint, required, options, scale, min, max, integer, constraint, "
                  "constraint_message, relevant, calculate, correct, points");
  assert_refused (ONE_SECTION ("{`id`: `q 1`, `type`: `short_text`, `label`: `L`}"),
                  "$.sections[0].questions[0].id: “q 1” is not a valid id: it has only letters, "
                  "digits, “_” and “-”, and starts with a letter");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`}"),
                  "$.sections[0].questions[0]: the key “label” is missing");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, "
                               "`required`: `ya`}"),
                  "$.sections[0].questions[0].required: must be true or false");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `single_choice`, `label`: `L`}"),
                  "$.sections[0].questions[0]: the key “options” is missing");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, `options`: []}"),
                  "$.sections[0].questions[0].options: only single_choice and multiple_choice "
                  "questions have options");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `multiple_choice`, `label`: `L`, "
                               "`options`: [{`value`: `a`, `label`: `A`}]}"),
                  "$.sections[0].questions[0].options: must have at least 2 entries");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `single_choice`, `label`: `L`, `options`: ["
                               "{`value`: `a`, `label`: `A`}, {`value`: `a`, `label`: `B`}]}"),
                  "$.sections[0].questions[0].options[1].value: the value “a” is already used "
                  "by entry 0");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `single_choice`, `label`: `L`, `options`: ["
                               "{`value`: `a`, `label`: `A`}, {`value`: `b`, `labl`: `B`}]}"),
                  "$.sections[0].questions[0].options[1].labl: unknown key; the keys here are "
                  "value, label");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `single_choice`, `label`: `L`, `options`: ["
                               "{`value`: `a`, `label`: `A`}, {`value`: 2, `label`: `B`}]}"),
                  "$.sections[0].questions[0].options[1].value: must be a text in double quotes");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `number`, `label`: `L`, `min`: 5, "
                               "`max`: 1}"),
                  "$.sections[0].questions[0].max: the maximum 1 is less than the minimum 5");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, `max`: 1}"),
                  "$.sections[0].questions[0].max: only number questions have a maximum");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `number`, `label`: `L`, `min`: `0`}"),
                  "$.sections[0].questions[0].min: must be a number");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `likert`, `label`: `L`}"),
                  "$.sections[0].questions[0]: the key “scale” is missing");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `likert`, `label`: `L`, "
                               "`scale`: `nilai`}"),
                  "$.sections[0].questions[0].scale: there is no scale “nilai” in $.scales");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `likert`, `label`: `L`, `scale`: ["
                               "{`value`: 1, `label`: `Buruk`}, {`value`: `2`, "
                               "`label`: `Baik`}]}"),
                  "$.sections[0].questions[0].scale[1].value: a scale point’s value must be a "
                  "number");
  assert_refused (FORM_HEAD "`scales`: {`penilaian`: [{`value`: 4, `label`: `Sangat Baik`}, "
                  "{`value`: 4, `label`: `Baik`}]}, `sections`: [{`id`: `s`, `title`: `S`, "
                  "`questions`: [" TEXT_Q ("q1") "]}]}",
                  "$.scales.penilaian[1].value: the value “4” is already used by entry 0");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, "
                               "`constraint_message`: `Salah`}"),
                  "$.sections[0].questions[0].constraint_message: a constraint message needs a "
                  "constraint");
  assert_refused (ONE_SECTION (TEXT_Q ("q1") ", {`id`: `q2`, `type`: `single_choice`, "
                               "`label`: `L`, `calculate`: `${q1}`, `options`: ["
                               "{`value`: `a`, `label`: `A`}, {`value`: `b`, `label`: `B`}]}"),
                  "$.sections[0].questions[1].calculate: only number, short_text and yes_no "
                  "questions can be calculated");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `number`, `label`: `L`, "
                               "`calculate`: `1 + 1`, `required`: true}"),
                  "$.sections[0].questions[0].required: a calculated question is never typed "
                  "in, so it cannot be required");
}

static void
test_definition_key_errors (void)
{
  assert_refused (ONE_SECTION (CHOICE_Q ("q1") ", `correct`: `e`}"),
                  "$.sections[0].questions[0].correct: “e” is not one of the options");
  assert_refused (ONE_SECTION (CHOICE_Q ("q1") ", `correct`: [`a`]}"),
                  "$.sections[0].questions[0].correct: the answer key of a single_choice "
                  "question is the value of one option");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `multiple_choice`, `label`: `L`, "
                               "`options`: [{`value`: `a`, `label`: `A`}, {`value`: `b`, "
                               "`label`: `B`}], `correct`: [`a`, `c`]}"),
                  "$.sections[0].questions[0].correct: “c” is not one of the options");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `multiple_choice`, `label`: `L`, "
                               "`options`: [{`value`: `a`, `label`: `A`}, {`value`: `b`, "
                               "`label`: `B`}], `correct`: [`a`, `a`]}"),
                  "$.sections[0].questions[0].correct: “a” is listed twice");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `likert`, `label`: `L`, `scale`: ["
                               "{`value`: 1, `label`: `Buruk`}, {`value`: 2, `label`: `Baik`}], "
                               "`correct`: 2}"),
                  "$.sections[0].questions[0].correct: a likert question has no right or wrong "
                  "answer, so no answer key");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `yes_no`, `label`: `L`, `correct`: `ya`}"),
                  "$.sections[0].questions[0].correct: the answer key of a yes_no question is "
                  "true or false");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `number`, `label`: `L`, `max`: 10, "
                               "`correct`: 11}"),
                  "$.sections[0].questions[0].correct: the answer key is outside the question’s "
                  "minimum and maximum");
  assert_refused (ONE_SECTION (CHOICE_Q ("q1") ", `points`: 2}"),
                  "$.sections[0].questions[0].points: points need an answer key (“correct”)");
  assert_refused (ONE_SECTION (CHOICE_Q ("q1") ", `correct`: `a`, `points`: 0}"),
                  "$.sections[0].questions[0].points: must be more than 0");
  assert_refused (FORM_HEAD "`pass_threshold`: 70, `sections`: [{`id`: `s`, `title`: `S`, "
                  "`questions`: [" TEXT_Q ("q1") "]}]}",
                  "$.pass_threshold: a pass threshold needs questions with an answer key "
                  "(“correct”)");
  assert_refused (FORM_HEAD "`pass_threshold`: 150, `sections`: [{`id`: `s`, `title`: `S`, "
                  "`questions`: [" CHOICE_Q ("q1") ", `correct`: `a`}]}]}",
                  "$.pass_threshold: must be a percentage more than 0 and at most 100");
  assert_refused ("{`id`: `t`, `version`: 1, `title`: `T`, `kind`: `test`, `sections`: ["
                  "{`id`: `s`, `title`: `S`, `questions`: [" CHOICE_Q ("q1") "}]}]}",
                  "$.kind: a test needs at least one question with an answer key (“correct”)");
}

static void
test_definition_expression_errors (void)
{
  assert_refused (ONE_SECTION (TEXT_Q ("q1") ", {`id`: `q2`, `type`: `short_text`, "
                               "`label`: `L`, `relevant`: `${q1} =`}"),
                  "$.sections[0].questions[1].relevant: Character 8: the expression ends too "
                  "early");
  assert_refused (ONE_SECTION (TEXT_Q ("q1") ", {`id`: `q2`, `type`: `short_text`, "
                               "`label`: `L`, `relevant`: 1}"),
                  "$.sections[0].questions[1].relevant: must be a text in double quotes");
  assert_refused (ONE_SECTION (TEXT_Q ("q1") ", {`id`: `q2`, `type`: `short_text`, "
                               "`label`: `L`, `relevant`: `not empty(${q9})`}"),
                  "$.sections[0].questions[1].relevant: Character 11: there is no question "
                  "“q9” in this form");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, "
                               "`relevant`: `${q2} = 'x'`}, " TEXT_Q ("q2")),
                  "$.sections[0].questions[0].relevant: Character 1: the question “q2” is not "
                  "before this one; an expression can only use the answers of questions that "
                  "come before it");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, "
                               "`relevant`: `${q1} = 'x'`}"),
                  "$.sections[0].questions[0].relevant: Character 1: the question “q1” is not "
                  "before this one; an expression can only use the answers of questions that "
                  "come before it");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `short_text`, `label`: `L`, "
                               "`relevant`: `. = 'x'`}"),
                  "$.sections[0].questions[0].relevant: Character 1: “.” (this question’s "
                  "answer) can only be used in a constraint");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `number`, `label`: `L`}, "
                               "{`id`: `q2`, `type`: `short_text`, `label`: `L`, "
                               "`relevant`: `${q1} + 1`}"),
                  "$.sections[0].questions[1].relevant: this must give true or false, not a "
                  "number");
  assert_refused (ONE_SECTION (TEXT_Q ("q1") ", {`id`: `q2`, `type`: `number`, `label`: `L`, "
                               "`calculate`: `${q1}`}"),
                  "$.sections[0].questions[1].calculate: this must give a number, not a text");
  assert_refused (ONE_SECTION (CHOICE_Q ("q1") "}, {`id`: `q2`, `type`: `short_text`, "
                               "`label`: `L`, `relevant`: `${q1} = 'x'`}"),
                  "$.sections[0].questions[1].relevant: Character 9: “x” is not an option of the "
                  "question “q1”");
  assert_refused (ONE_SECTION ("{`id`: `q1`, `type`: `number`, `label`: `L`, "
                               "`constraint`: `. > 'a'`}"),
                  "$.sections[0].questions[0].constraint: Character 3: a number cannot be "
                  "compared with a text");
  /* A section's condition can only use questions before the section. */
  assert_refused (FORM_HEAD "`sections`: [{`id`: `s1`, `title`: `S`, `questions`: ["
                  TEXT_Q ("q1") "]}, {`id`: `s2`, `title`: `S`, `relevant`: `${q2} = 'x'`, "
                  "`questions`: [" TEXT_Q ("q2") "]}]}",
                  "$.sections[1].relevant: Character 1: the question “q2” is not before this "
                  "one; an expression can only use the answers of questions that come before "
                  "it");
}

/* A form of every type, with its accessors as the UI reads them. */
static const char *all_types_form =
  "{`id`: `all-types`, `version`: 3, `title`: `Semua jenis`, `kind`: `survey`,"
  " `description`: `Uji`,"
  " `scales`: {`penilaian`: [{`value`: 4, `label`: `Sangat Baik`}, {`value`: 3, `label`: `Baik`},"
  "                          {`value`: 2, `label`: `Cukup`}, {`value`: 1, `label`: `Kurang`}]},"
  " `sections`: ["
  "  {`id`: `a`, `title`: `Bagian A`, `questions`: ["
  "   {`id`: `sex`, `type`: `single_choice`, `label`: `Jenis kelamin`, `required`: true,"
  "    `options`: [{`value`: `l`, `label`: `Laki-laki`}, {`value`: `p`, `label`: `Perempuan`}]},"
  "   {`id`: `aid`, `type`: `multiple_choice`, `label`: `Bantuan`, `hint`: `Boleh lebih dari satu`,"
  "    `options`: [{`value`: `pkh`, `label`: `PKH`}, {`value`: `bpnt`, `label`: `BPNT`},"
  "                {`value`: `pbi`, `label`: `PBI-JK`}]},"
  "   {`id`: `rating`, `type`: `likert`, `label`: `Penilaian`, `scale`: `penilaian`},"
  "   {`id`: `five`, `type`: `likert`, `label`: `Skala 1-5`, `scale`: ["
  "     {`value`: 1, `label`: `1`}, {`value`: 2, `label`: `2`}, {`value`: 3, `label`: `3`},"
  "     {`value`: 4, `label`: `4`}, {`value`: 5, `label`: `5`}]}]},"
  "  {`id`: `b`, `title`: `Bagian B`, `questions`: ["
  "   {`id`: `ok`, `type`: `yes_no`, `label`: `Setuju?`},"
  "   {`id`: `name`, `type`: `short_text`, `label`: `Nama`},"
  "   {`id`: `note`, `type`: `long_text`, `label`: `Catatan`},"
  "   {`id`: `age`, `type`: `number`, `label`: `Umur`, `min`: 17, `max`: 80, `integer`: true},"
  "   {`id`: `born`, `type`: `date`, `label`: `Tanggal lahir`}]}]}";

static void
test_accessors (void)
{
  g_autoptr(PdmForm) form = load (all_types_form);
  PdmFormQuestion *question;
  const PdmFormOption *options;
  g_autoptr(JsonNode) four = json_node_new (JSON_NODE_VALUE);
  guint n;

  g_assert_cmpstr (pdm_form_get_id (form), ==, "all-types");
  g_assert_cmpint (pdm_form_get_version (form), ==, 3);
  g_assert_cmpstr (pdm_form_get_title (form), ==, "Semua jenis");
  g_assert_cmpstr (pdm_form_get_kind (form), ==, "survey");
  g_assert_cmpstr (pdm_form_get_description (form), ==, "Uji");
  g_assert_false (pdm_form_has_pass_threshold (form));
  g_assert_true (isnan (pdm_form_get_pass_threshold (form)));
  g_assert_false (pdm_form_is_scored (form));
  g_assert_cmpuint (pdm_form_get_n_sections (form), ==, 2);
  g_assert_cmpuint (pdm_form_get_n_questions (form), ==, 9);
  g_assert_cmpuint (pdm_form_section_get_n_questions (pdm_form_get_section (form, 1)), ==, 5);
  g_assert_cmpstr (pdm_form_section_get_title (pdm_form_get_section (form, 1)), ==, "Bagian B");

  /* Questions in the order shown, numbered through the whole form. */
  question = pdm_form_get_question (form, 4);
  g_assert_cmpstr (pdm_form_question_get_id (question), ==, "ok");
  g_assert_true (pdm_form_section_get_question (pdm_form_get_section (form, 1), 0) == question);
  g_assert_true (pdm_form_question_get_section (question) == pdm_form_get_section (form, 1));
  g_assert_cmpuint (pdm_form_question_get_index (question), ==, 4);
  g_assert_cmpint (pdm_form_question_get_question_type (question), ==, PDM_QUESTION_YES_NO);
  g_assert_null (pdm_form_lookup_question (form, "missing"));

  question = pdm_form_lookup_question (form, "aid");
  g_assert_cmpstr (pdm_form_question_get_hint (question), ==, "Boleh lebih dari satu");
  g_assert_false (pdm_form_question_get_required (question));
  g_assert_true (pdm_form_question_get_required (pdm_form_lookup_question (form, "sex")));
  options = pdm_form_question_get_options (question, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (options[2].value, ==, "pbi");
  g_assert_cmpstr (options[2].label, ==, "PBI-JK");

  /* The scale in the form's order, Sangat Baik first, and its name. */
  question = pdm_form_lookup_question (form, "rating");
  options = pdm_form_question_get_options (question, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (options[0].number, ==, 4);
  g_assert_cmpstr (options[0].label, ==, "Sangat Baik");
  g_assert_cmpstr (options[3].label, ==, "Kurang");
  g_assert_cmpstr (pdm_form_question_get_scale_name (question), ==, "penilaian");
  json_node_set_double (four, 4.0);
  g_assert_cmpstr (pdm_form_question_find_option (question, four)->label, ==, "Sangat Baik");
  g_assert_null (pdm_form_question_get_scale_name (pdm_form_lookup_question (form, "five")));
  pdm_form_question_get_options (pdm_form_lookup_question (form, "five"), &n);
  g_assert_cmpuint (n, ==, 5);

  question = pdm_form_lookup_question (form, "age");
  g_assert_cmpfloat (pdm_form_question_get_min (question), ==, 17);
  g_assert_cmpfloat (pdm_form_question_get_max (question), ==, 80);
  g_assert_true (pdm_form_question_get_integer (question));
  g_assert_true (isinf (pdm_form_question_get_max (pdm_form_lookup_question (form, "name"))));
}

/* has_children → how_many (only if yes) → a section about the children,
 * shown only when there is at least one. */
static const char *skip_form =
  "{`id`: `skip`, `version`: 1, `title`: `T`, `kind`: `survey`, `sections`: ["
  " {`id`: `family`, `title`: `Keluarga`, `questions`: ["
  "  {`id`: `has_children`, `type`: `yes_no`, `label`: `Punya anak?`, `required`: true},"
  "  {`id`: `how_many`, `type`: `number`, `label`: `Berapa?`, `required`: true,"
  "   `relevant`: `${has_children} = true`, `min`: 1, `integer`: true}]},"
  " {`id`: `children`, `title`: `Anak`, `relevant`: `${how_many} > 0`, `questions`: ["
  "  {`id`: `in_school`, `type`: `yes_no`, `label`: `Sekolah?`, `required`: true},"
  "  {`id`: `school`, `type`: `short_text`, `label`: `Nama sekolah`, `required`: true,"
  "   `relevant`: `${in_school}`}]}]}";

static void
test_skip_logic (void)
{
  g_autoptr(PdmForm) form = load (skip_form);
  PdmFormQuestion *how_many = pdm_form_lookup_question (form, "how_many");
  PdmFormQuestion *school = pdm_form_lookup_question (form, "school");
  PdmFormSection *children = pdm_form_get_section (form, 1);
  g_autoptr(JsonObject) empty = answers ("{}");
  g_autoptr(JsonObject) yes = answers ("{`has_children`: true}");
  g_autoptr(JsonObject) two = answers ("{`has_children`: true, `how_many`: 2, "
                                       "`in_school`: true}");
  g_autoptr(JsonObject) stale = answers ("{`has_children`: false, `how_many`: 2, "
                                         "`in_school`: true, `school`: `SDN 01`}");
  g_autoptr(GPtrArray) problems = NULL;

  /* Not answered yet: a question that depends on it is not asked. */
  g_assert_false (pdm_form_question_is_relevant (form, how_many, empty));
  g_assert_false (pdm_form_section_is_relevant (form, children, empty));
  g_assert_true (pdm_form_question_is_relevant (form, how_many, yes));
  g_assert_false (pdm_form_section_is_relevant (form, children, yes));
  g_assert_true (pdm_form_section_is_relevant (form, children, two));
  g_assert_true (pdm_form_question_is_relevant (form, school, two));

  /* "No" after "2" was typed: the stale 2 no longer opens the section. */
  g_assert_false (pdm_form_question_is_relevant (form, how_many, stale));
  g_assert_false (pdm_form_section_is_relevant (form, children, stale));
  g_assert_false (pdm_form_question_is_relevant (form, school, stale));

  /* Hidden questions are neither required nor checked... */
  g_assert_true (pdm_form_validate_answers (form, stale, &problems));
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* ...but the shown ones are. */
  g_assert_false (pdm_form_validate_answers (form, two, &problems));
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((PdmFormProblem *) problems->pdata[0])->question_id, ==, "school");
  g_assert_cmpstr (((PdmFormProblem *) problems->pdata[0])->message, ==,
                   "An answer is required");
}

static void
test_compute (void)
{
  g_autoptr(PdmForm) form = load (skip_form);
  g_autoptr(JsonObject) stale = answers ("{`has_children`: false, `how_many`: 2, "
                                         "`in_school`: true, `school`: `SDN 01`, `x`: 1}");
  g_autoptr(JsonObject) computed = pdm_form_compute (form, stale);
  g_autofree char *text = pdm_form_answers_to_string (computed);

  /* What is stored on submit: hidden answers and strangers dropped. */
  g_assert_cmpstr (text, ==, "{\"has_children\":false}");
}

static void
test_calculate (void)
{
  g_autoptr(PdmForm) form =
    load (ONE_SECTION ("{`id`: `a`, `type`: `number`, `label`: `A`},"
                       "{`id`: `b`, `type`: `number`, `label`: `B`},"
                       "{`id`: `avg`, `type`: `number`, `label`: `Rata-rata`,"
                       " `calculate`: `round((${a} + ${b}) / 2, 1)`},"
                       "{`id`: `high`, `type`: `yes_no`, `label`: `Tinggi`,"
                       " `calculate`: `${avg} >= 3`},"
                       "{`id`: `why`, `type`: `short_text`, `label`: `Alasan`,"
                       " `relevant`: `${high}`},"
                       "{`id`: `third`, `type`: `number`, `label`: `Sepertiga`,"
                       " `calculate`: `round(${a} / 3, 2)`}"));
  g_autoptr(JsonObject) full = answers ("{`a`: 3, `b`: 4, `avg`: 99}");
  g_autoptr(JsonObject) half = answers ("{`a`: 3}");
  g_autoptr(JsonObject) computed = NULL;
  g_autofree char *text = NULL;

  g_assert_true (pdm_form_question_is_calculated (pdm_form_lookup_question (form, "avg")));
  g_assert_false (pdm_form_question_is_calculated (pdm_form_lookup_question (form, "a")));

  /* A typed-in value of a calculated question is replaced; a calculation
   * can use an earlier one, and skip logic can use both. */
  computed = pdm_form_compute (form, full);
  text = pdm_form_answers_to_string (computed);
  g_assert_cmpstr (text, ==, "{\"a\":3,\"avg\":3.5,\"b\":4,\"high\":true,\"third\":1}");
  g_assert_true (pdm_form_question_is_relevant (form, pdm_form_lookup_question (form, "why"),
                                                full));

  /* Half answered: no average, and nothing that depends on it. */
  g_clear_pointer (&computed, json_object_unref);
  g_clear_pointer (&text, g_free);
  computed = pdm_form_compute (form, half);
  text = pdm_form_answers_to_string (computed);
  g_assert_cmpstr (text, ==, "{\"a\":3,\"third\":1}");
  g_assert_false (pdm_form_question_is_relevant (form, pdm_form_lookup_question (form, "why"),
                                                 half));
}

static const char *validate_form =
  ONE_SECTION ("{`id`: `name`, `type`: `short_text`, `label`: `Nama`, `required`: true},"
               "{`id`: `age`, `type`: `number`, `label`: `Umur`, `min`: 17, `max`: 80,"
               " `integer`: true},"
               "{`id`: `children`, `type`: `number`, `label`: `Anak`, `min`: 0},"
               "{`id`: `income`, `type`: `number`, `label`: `Penghasilan`, `max`: 1000000},"
               "{`id`: `nik`, `type`: `short_text`, `label`: `NIK`,"
               " `constraint`: `length(.) = 16`,"
               " `constraint_message`: `NIK harus 16 angka`},"
               "{`id`: `older`, `type`: `number`, `label`: `Umur pasangan`,"
               " `constraint`: `. >= ${age}`},"
               "{`id`: `sex`, `type`: `single_choice`, `label`: `Jenis kelamin`, `options`: ["
               " {`value`: `l`, `label`: `L`}, {`value`: `p`, `label`: `P`}]},"
               "{`id`: `aid`, `type`: `multiple_choice`, `label`: `Bantuan`, `options`: ["
               " {`value`: `pkh`, `label`: `PKH`}, {`value`: `bpnt`, `label`: `BPNT`}]},"
               "{`id`: `rating`, `type`: `likert`, `label`: `Nilai`, `scale`: ["
               " {`value`: 4, `label`: `Sangat Baik`}, {`value`: 1, `label`: `Kurang`}]},"
               "{`id`: `ok`, `type`: `yes_no`, `label`: `Setuju`},"
               "{`id`: `born`, `type`: `date`, `label`: `Lahir`}");

static void
assert_problems (const char *answers_text,
                 const char *expected)
{
  g_autoptr(PdmForm) form = load (validate_form);
  g_autoptr(JsonObject) given = answers (answers_text);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  gboolean ok;

  ok = pdm_form_validate_answers (form, given, &problems);
  for (guint i = 0; i < problems->len; i++)
    {
      PdmFormProblem *problem = g_ptr_array_index (problems, i);

      g_string_append_printf (found, "%s%s: %s", i > 0 ? "; " : "", problem->question_id,
                              problem->message);
    }

  if (!g_str_equal (found->str, expected))
    g_error ("For %s\n  found “%s”\n  expected “%s”", answers_text, found->str, expected);
  g_assert_true (ok == (expected[0] == '\0'));
}

static void
test_validate (void)
{
  assert_problems ("{`name`: `Siti`}", "");
  assert_problems ("{}", "name: An answer is required");
  assert_problems ("{`name`: `   `}", "name: An answer is required");
  assert_problems ("{`name`: `Siti`, `age`: 16}", "age: The number must be between 17 and 80");
  assert_problems ("{`name`: `Siti`, `age`: 81}", "age: The number must be between 17 and 80");
  assert_problems ("{`name`: `Siti`, `age`: 17}", "");
  assert_problems ("{`name`: `Siti`, `age`: 30.5}", "age: The answer must be a whole number");
  assert_problems ("{`name`: `Siti`, `age`: `30`}", "age: The answer must be a number");
  assert_problems ("{`name`: `Siti`, `children`: -1}", "children: The number must be at least 0");
  assert_problems ("{`name`: `Siti`, `income`: 2000000}",
                   "income: The number must be at most 1000000");
  /* The form's own message for its rule, or a general one. */
  assert_problems ("{`name`: `Siti`, `nik`: `1375`}", "nik: NIK harus 16 angka");
  assert_problems ("{`name`: `Siti`, `nik`: `1375024509870001`}", "");
  assert_problems ("{`name`: `Siti`, `age`: 40, `older`: 30}",
                   "older: The answer does not meet the rule of this question");
  /* Unknown (age not given) does not fail a rule. */
  assert_problems ("{`name`: `Siti`, `older`: 30}", "");
  assert_problems ("{`name`: `Siti`, `sex`: `x`}", "sex: “x” is not one of the options");
  assert_problems ("{`name`: `Siti`, `sex`: [`l`]}", "sex: The answer must be one of the options");
  assert_problems ("{`name`: `Siti`, `aid`: [`pkh`, `pbi`]}", "aid: “pbi” is not one of the options");
  assert_problems ("{`name`: `Siti`, `aid`: [`pkh`, `pkh`]}", "aid: “pkh” is chosen more than once");
  assert_problems ("{`name`: `Siti`, `aid`: `pkh`}", "aid: The answer must be a list of options");
  assert_problems ("{`name`: `Siti`, `aid`: []}", "");
  assert_problems ("{`name`: `Siti`, `rating`: 3}", "rating: 3 is not a point of the scale");
  assert_problems ("{`name`: `Siti`, `rating`: 4.0}", "");
  assert_problems ("{`name`: `Siti`, `rating`: `4`}", "rating: The answer must be a point of the "
                   "scale");
  assert_problems ("{`name`: `Siti`, `ok`: `ya`}", "ok: The answer must be yes or no");
  assert_problems ("{`name`: 12}", "name: The answer must be a text");
  assert_problems ("{`name`: `Siti`, `born`: `2025-02-29`}",
                   "born: “2025-02-29” is not a date written as YYYY-MM-DD");
  assert_problems ("{`name`: `Siti`, `born`: `29/02/2024`}",
                   "born: “29/02/2024” is not a date written as YYYY-MM-DD");
  assert_problems ("{`name`: `Siti`, `born`: `2024-02-29`}", "");
  assert_problems ("{`name`: `Siti`, `umur`: 30}", "umur: This form has no question “umur”");
  /* Several problems, in the form's order, one per question. */
  assert_problems ("{`age`: 10, `sex`: `x`, `zzz`: 1}",
                   "name: An answer is required; age: The number must be between 17 and 80; "
                   "sex: “x” is not one of the options; zzz: This form has no question “zzz”");
}

static const char *test_form =
  "{`id`: `kuis`, `version`: 2, `title`: `Kuis`, `kind`: `test`, `pass_threshold`: 70,"
  " `sections`: [{`id`: `s`, `title`: `S`, `questions`: ["
  "  {`id`: `q1`, `type`: `single_choice`, `label`: `1`, `correct`: `b`, `points`: 2,"
  "   `options`: [{`value`: `a`, `label`: `A`}, {`value`: `b`, `label`: `B`}]},"
  "  {`id`: `q2`, `type`: `multiple_choice`, `label`: `2`, `correct`: [`a`, `c`],"
  "   `options`: [{`value`: `a`, `label`: `A`}, {`value`: `b`, `label`: `B`},"
  "               {`value`: `c`, `label`: `C`}]},"
  "  {`id`: `q3`, `type`: `yes_no`, `label`: `3`, `correct`: false},"
  "  {`id`: `q4`, `type`: `number`, `label`: `4`, `correct`: 12, `points`: 3},"
  "  {`id`: `q5`, `type`: `yes_no`, `label`: `5`, `correct`: true, `points`: 2,"
  "   `relevant`: `${q3} = false`},"
  "  {`id`: `note`, `type`: `long_text`, `label`: `Catatan`}]}]}";

static void
assert_score (PdmForm    *form,
              const char *answers_text,
              double      expected_score,
              double      expected_max)
{
  g_autoptr(JsonObject) given = answers (answers_text);
  double score = -1, max = -1;

  g_assert_true (pdm_form_score (form, given, &score, &max));
  if (score != expected_score || max != expected_max)
    g_error ("%s scored %g of %g, not %g of %g", answers_text, score, max,
             expected_score, expected_max);
}

static void
test_score (void)
{
  g_autoptr(PdmForm) form = load (test_form);
  g_autoptr(PdmForm) survey = load (skip_form);
  g_autoptr(JsonObject) none = answers ("{}");
  double score = -1, max = -1;

  g_assert_true (pdm_form_is_scored (form));
  g_assert_cmpfloat (pdm_form_get_max_score (form), ==, 9);
  g_assert_cmpfloat (pdm_form_question_get_points (pdm_form_lookup_question (form, "q2")), ==, 1);
  g_assert_cmpfloat (pdm_form_question_get_points (pdm_form_lookup_question (form, "note")), ==, 0);

  /* Everything right: q5 is asked because q3 is false. */
  assert_score (form, "{`q1`: `b`, `q2`: [`c`, `a`], `q3`: false, `q4`: 12, `q5`: true}", 9, 9);
  /* The multiple-choice key is all or nothing. */
  assert_score (form, "{`q1`: `b`, `q2`: [`a`], `q3`: false, `q4`: 12, `q5`: true}", 8, 9);
  assert_score (form, "{`q1`: `b`, `q2`: [`a`, `b`, `c`], `q3`: false, `q4`: 12.0, `q5`: true}",
                8, 9);
  /* q3 wrong hides q5: its points are not in the maximum either. */
  assert_score (form, "{`q1`: `b`, `q2`: [`a`, `c`], `q3`: true, `q4`: 12, `q5`: true}", 6, 7);
  /* Unanswered counts as wrong; a malformed answer too. */
  assert_score (form, "{`q3`: false}", 1, 9);
  assert_score (form, "{`q1`: [`b`], `q3`: `false`}", 0, 7);

  g_assert_false (pdm_form_score (survey, none, &score, &max));
  g_assert_cmpfloat (score, ==, 0);
  g_assert_cmpfloat (max, ==, 0);
}

static void
test_pass_threshold (void)
{
  g_autoptr(PdmForm) form = load (test_form);
  g_autoptr(PdmForm) survey = load (skip_form);

  g_assert_true (pdm_form_has_pass_threshold (form));
  g_assert_cmpfloat (pdm_form_get_pass_threshold (form), ==, 70);
  g_assert_cmpfloat_with_epsilon (pdm_score_percent (7, 10), 70, 1e-9);
  g_assert_true (isnan (pdm_score_percent (0, 0)));

  /* 14 of 20 is exactly the threshold and passes, 13 does not. */
  g_assert_true (pdm_form_passes (form, pdm_score_percent (14, 20)));
  g_assert_true (pdm_form_passes (form, pdm_score_percent (7, 10)));
  g_assert_false (pdm_form_passes (form, pdm_score_percent (13, 20)));
  g_assert_false (pdm_form_passes (form, pdm_score_percent (0, 0)));
  g_assert_false (pdm_form_passes (survey, 100));
}

static void
test_gain (void)
{
  g_autofree char *half = NULL;
  g_autofree char *undefined = NULL;

  g_assert_cmpfloat (pdm_gain_absolute (40, 70), ==, 30);
  g_assert_cmpfloat (pdm_gain_absolute (70, 60), ==, -10);

  g_assert_cmpfloat_with_epsilon (pdm_gain_normalized (40, 70, 100), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (pdm_gain_normalized (8, 20, 20), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (pdm_gain_normalized (0, 0, 20), 0.0, 1e-12);
  /* Worse after the training: negative, a loss. */
  g_assert_cmpfloat_with_epsilon (pdm_gain_normalized (60, 50, 100), -0.25, 1e-12);
  g_assert_cmpint (pdm_gain_categorize (pdm_gain_normalized (60, 50, 100)), ==, PDM_GAIN_LOSS);
  /* Full marks before: no room to improve, so no gain to speak of. */
  g_assert_true (isnan (pdm_gain_normalized (100, 100, 100)));
  g_assert_true (isnan (pdm_gain_normalized (20, 18, 20)));
  g_assert_cmpint (pdm_gain_categorize (pdm_gain_normalized (20, 20, 20)), ==,
                   PDM_GAIN_UNDEFINED);
  /* No maximum, or scores outside it. */
  g_assert_true (isnan (pdm_gain_normalized (0, 0, 0)));
  g_assert_true (isnan (pdm_gain_normalized (5, 10, 0)));
  g_assert_true (isnan (pdm_gain_normalized (120, 100, 100)));
  g_assert_true (isnan (pdm_gain_normalized (50, 101, 100)));
  g_assert_true (isnan (pdm_gain_normalized (NAN, 50, 100)));

  /* Hake's bands. */
  g_assert_cmpint (pdm_gain_categorize (0.29), ==, PDM_GAIN_LOW);
  g_assert_cmpint (pdm_gain_categorize (0.0), ==, PDM_GAIN_LOW);
  g_assert_cmpint (pdm_gain_categorize (0.3), ==, PDM_GAIN_MEDIUM);
  g_assert_cmpint (pdm_gain_categorize (0.69), ==, PDM_GAIN_MEDIUM);
  g_assert_cmpint (pdm_gain_categorize (0.7), ==, PDM_GAIN_HIGH);
  g_assert_cmpstr (pdm_gain_category_to_string (PDM_GAIN_HIGH), ==, "high");
  g_assert_cmpstr (pdm_gain_category_to_string (PDM_GAIN_UNDEFINED), ==, "—");

  half = pdm_gain_format (0.5);
  undefined = pdm_gain_format (pdm_gain_normalized (100, 100, 100));
  g_assert_cmpstr (half, ==, "0.50");
  g_assert_cmpstr (undefined, ==, "—");
}

static void
test_answers_text (void)
{
  g_autoptr(JsonObject) given = answers ("{`q2`: [`b`, `a`], `q10`: 4, `q1`: `Siti \\`Ani\\` "
                                         "Nurbaya`, `ok`: true, `none`: null, `avg`: 3.33, "
                                         "`tiny`: 0.1}");
  g_autofree char *text = pdm_form_answers_to_string (given);
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *text_again = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *refused;

  /* Compact, keys sorted, the order of chosen options kept, numbers as
   * short as they read back, quotes escaped. */
  g_assert_cmpstr (text, ==,
                   "{\"avg\":3.33,\"none\":null,\"ok\":true,\"q1\":\"Siti \\\"Ani\\\" Nurbaya\","
                   "\"q10\":4,\"q2\":[\"b\",\"a\"],\"tiny\":0.1}");
  again = pdm_form_answers_new_from_string (text, &error);
  g_assert_no_error (error);
  text_again = pdm_form_answers_to_string (again);
  g_assert_cmpstr (text_again, ==, text);

  refused = pdm_form_answers_new_from_string ("[1, 2]", &error);
  g_assert_null (refused);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_clear_error (&error);
  refused = pdm_form_answers_new_from_string ("{\"q1\": ", &error);
  g_assert_null (refused);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
}

static PdmForm *
load_shipped (const char *name)
{
  g_autofree char *path = g_strconcat (PDM_FORM_RESOURCE_PATH "/", name, ".json", NULL);
  g_autoptr(GError) error = NULL;
  PdmForm *form = pdm_form_new_from_resource (path, &error);

  g_assert_no_error (error);
  return form;
}

static void
test_shipped_list (void)
{
  g_auto(GStrv) paths = pdm_form_list_shipped ();
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_strv_length (paths), ==, 4);
  g_assert_cmpstr (paths[0], ==, PDM_FORM_RESOURCE_PATH "/organisation-evaluation.json");
  g_assert_cmpstr (paths[1], ==, PDM_FORM_RESOURCE_PATH "/psm-basic-posttest.json");
  g_assert_cmpstr (paths[2], ==, PDM_FORM_RESOURCE_PATH "/psm-basic-pretest.json");
  g_assert_cmpstr (paths[3], ==, PDM_FORM_RESOURCE_PATH "/speaker-evaluation.json");

  /* Every shipped form passes the core's own checker. */
  forms = pdm_form_load_shipped (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, ==, 4);
  for (guint i = 0; i < forms->len; i++)
    g_assert_cmpint (pdm_form_get_version (g_ptr_array_index (forms, i)), ==, 1);
}

static void
assert_same_question (PdmFormQuestion *a,
                      PdmFormQuestion *b)
{
  const PdmFormOption *options_a, *options_b;
  guint n_a, n_b;

  g_assert_cmpstr (pdm_form_question_get_id (a), ==, pdm_form_question_get_id (b));
  g_assert_cmpint (pdm_form_question_get_question_type (a), ==,
                   pdm_form_question_get_question_type (b));
  g_assert_cmpstr (pdm_form_question_get_label (a), ==, pdm_form_question_get_label (b));
  g_assert_true (json_node_equal (pdm_form_question_get_correct (a),
                                  pdm_form_question_get_correct (b)));
  g_assert_cmpfloat (pdm_form_question_get_points (a), ==, pdm_form_question_get_points (b));
  options_a = pdm_form_question_get_options (a, &n_a);
  options_b = pdm_form_question_get_options (b, &n_b);
  g_assert_cmpuint (n_a, ==, n_b);
  for (guint i = 0; i < n_a; i++)
    {
      g_assert_cmpstr (options_a[i].value, ==, options_b[i].value);
      g_assert_cmpstr (options_a[i].label, ==, options_b[i].label);
    }
}

static void
test_shipped_tests (void)
{
  g_autoptr(PdmForm) pre = load_shipped ("psm-basic-pretest");
  g_autoptr(PdmForm) post = load_shipped ("psm-basic-posttest");
  g_autoptr(JsonObject) right = json_object_new ();
  g_autoptr(JsonObject) fourteen = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  guint keys[4] = { 0, };
  double score, max;

  g_assert_cmpstr (pdm_form_get_id (pre), ==, "psm-basic-pretest");
  g_assert_cmpstr (pdm_form_get_id (post), ==, "psm-basic-posttest");
  g_assert_cmpstr (pdm_form_get_kind (pre), ==, "test");
  g_assert_cmpfloat (pdm_form_get_pass_threshold (pre), ==, 70);
  g_assert_cmpfloat (pdm_form_get_pass_threshold (post), ==, 70);

  /* The same 20 items with the same keys, so the gain measures learning. */
  g_assert_cmpuint (pdm_form_get_n_questions (pre), ==, 20);
  g_assert_cmpuint (pdm_form_get_n_questions (post), ==, 20);
  g_assert_cmpfloat (pdm_form_get_max_score (pre), ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      PdmFormQuestion *question = pdm_form_get_question (pre, i);
      const PdmFormOption *options;
      const char *key;
      guint n;

      assert_same_question (question, pdm_form_get_question (post, i));
      g_assert_cmpint (pdm_form_question_get_question_type (question), ==,
                       PDM_QUESTION_SINGLE_CHOICE);
      g_assert_true (pdm_form_question_get_required (question));
      options = pdm_form_question_get_options (question, &n);
      g_assert_cmpuint (n, ==, 4);
      for (guint j = 0; j < 4; j++)
        {
          char value[2] = { 'a' + j, '\0' };

          g_assert_cmpstr (options[j].value, ==, value);
        }
      key = json_node_get_string (pdm_form_question_get_correct (question));
      keys[key[0] - 'a']++;
      json_object_set_string_member (right, pdm_form_question_get_id (question), key);
    }
  /* The right answers are spread over a, b, c and d. */
  for (guint j = 0; j < 4; j++)
    g_assert_cmpuint (keys[j], ==, 5);

  g_assert_true (pdm_form_validate_answers (pre, right, &problems));
  g_assert_true (pdm_form_score (post, right, &score, &max));
  g_assert_cmpfloat (score, ==, 20);
  g_assert_cmpfloat (max, ==, 20);
  g_assert_true (pdm_form_passes (post, pdm_score_percent (score, max)));

  /* Six wrong: 14 of 20 is 70%, which passes; one more wrong does not. */
  fourteen = json_object_ref (right);
  for (guint i = 0; i < 6; i++)
    {
      const char *id = pdm_form_question_get_id (pdm_form_get_question (pre, i));
      const char *key = json_object_get_string_member (right, id);

      json_object_set_string_member (fourteen, id, g_str_equal (key, "a") ? "b" : "a");
    }
  g_assert_true (pdm_form_score (pre, fourteen, &score, &max));
  g_assert_cmpfloat (score, ==, 14);
  g_assert_true (pdm_form_passes (pre, pdm_score_percent (score, max)));
  json_object_set_string_member (fourteen, "q20", "a");
  g_assert_true (pdm_form_score (pre, fourteen, &score, &max));
  g_assert_cmpfloat (score, ==, 13);
  g_assert_false (pdm_form_passes (pre, pdm_score_percent (score, max)));
}

static void
assert_evaluation_form (const char          *name,
                        const char * const  *criteria)
{
  g_autoptr(PdmForm) form = load_shipped (name);
  g_autoptr(JsonObject) given = json_object_new ();
  g_autoptr(JsonObject) computed = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const char * const labels[] = { "Sangat Baik", "Baik", "Cukup", "Kurang" };
  PdmFormQuestion *saran;
  guint n_criteria = g_strv_length ((char **) criteria);

  g_assert_cmpstr (pdm_form_get_kind (form), ==, "evaluation");
  g_assert_false (pdm_form_is_scored (form));

  for (guint i = 0; i < n_criteria; i++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, i);
      const PdmFormOption *options;
      guint n;

      g_assert_cmpstr (pdm_form_question_get_label (question), ==, criteria[i]);
      g_assert_cmpint (pdm_form_question_get_question_type (question), ==, PDM_QUESTION_LIKERT);
      g_assert_true (pdm_form_question_get_required (question));
      options = pdm_form_question_get_options (question, &n);
      g_assert_cmpuint (n, ==, 4);
      for (guint j = 0; j < 4; j++)
        {
          g_assert_cmpfloat (options[j].number, ==, 4 - j);
          g_assert_cmpstr (options[j].label, ==, labels[j]);
        }
      json_object_set_int_member (given, pdm_form_question_get_id (question), i < 3 ? 4 : 3);
    }

  saran = pdm_form_lookup_question (form, "saran");
  g_assert_nonnull (saran);
  g_assert_cmpint (pdm_form_question_get_question_type (saran), ==, PDM_QUESTION_LONG_TEXT);
  g_assert_false (pdm_form_question_get_required (saran));

  /* Complete without a suggestion; the average is computed. */
  g_assert_true (pdm_form_validate_answers (form, given, &problems));
  computed = pdm_form_compute (form, given);
  g_assert_cmpfloat (json_object_get_double_member (computed, "rata_rata"), ==, 3.5);

  /* One criterion left out is named. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  json_object_remove_member (given, pdm_form_question_get_id (pdm_form_get_question (form, 0)));
  g_assert_false (pdm_form_validate_answers (form, given, &problems));
  g_assert_cmpuint (problems->len, ==, 1);
}

static void
test_shipped_evaluations (void)
{
  const char * const speaker[] = {
    "Penguasaan materi", "Sistematika penyajian", "Cara menjawab pertanyaan",
    "Ketepatan waktu", "Penggunaan metode dan media", "Sikap dan perilaku", NULL
  };
  const char * const organisation[] = {
    "Kesesuaian materi", "Sarana dan ruangan", "Konsumsi", "Pelayanan panitia",
    "Ketepatan jadwal", "Manfaat pelatihan", NULL
  };

  assert_evaluation_form ("speaker-evaluation", speaker);
  assert_evaluation_form ("organisation-evaluation", organisation);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/form/definition/structure-errors", test_definition_structure_errors);
  g_test_add_func ("/form/definition/question-errors", test_definition_question_errors);
  g_test_add_func ("/form/definition/key-errors", test_definition_key_errors);
  g_test_add_func ("/form/definition/expression-errors", test_definition_expression_errors);
  g_test_add_func ("/form/accessors", test_accessors);
  g_test_add_func ("/form/skip-logic", test_skip_logic);
  g_test_add_func ("/form/compute", test_compute);
  g_test_add_func ("/form/calculate", test_calculate);
  g_test_add_func ("/form/validate", test_validate);
  g_test_add_func ("/form/score", test_score);
  g_test_add_func ("/form/pass-threshold", test_pass_threshold);
  g_test_add_func ("/form/gain", test_gain);
  g_test_add_func ("/form/answers-text", test_answers_text);
  g_test_add_func ("/form/shipped/list", test_shipped_list);
  g_test_add_func ("/form/shipped/tests", test_shipped_tests);
  g_test_add_func ("/form/shipped/evaluations", test_shipped_evaluations);

  return g_test_run ();
}
