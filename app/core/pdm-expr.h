/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The expression language of forms (relevant, constraint, calculate; see
 * docs/forms.md for the grammar). An expression is parsed once into a tree
 * and evaluated many times; nothing in it can run code, touch files or
 * loop, so a form from the server is as safe as its text.
 *
 * Values are JSON values: a number, a string, a boolean, a list of strings
 * (the options chosen in a multiple-choice question) or null (no answer).
 * Answers are referred to as ${question_id}; "." is the answer of the
 * question a constraint belongs to.
 *
 * Errors are PDM_ERROR_EXPRESSION with a translated message that starts with
 * the 1-based character position in the text ("Character 7: …").
 */

/* The answer of the question an expression belongs to, "." in the text. */
#define PDM_EXPR_SELF "."

/* A set of types: what a value is, or what an expression may give. */
typedef enum
{
  PDM_EXPR_TYPE_NULL    = 1 << 0,
  PDM_EXPR_TYPE_NUMBER  = 1 << 1,
  PDM_EXPR_TYPE_STRING  = 1 << 2,
  PDM_EXPR_TYPE_BOOLEAN = 1 << 3,
  PDM_EXPR_TYPE_LIST    = 1 << 4,
} PdmExprType;

#define PDM_EXPR_TYPE_ANY (PDM_EXPR_TYPE_NULL | PDM_EXPR_TYPE_NUMBER | PDM_EXPR_TYPE_STRING | \
                           PDM_EXPR_TYPE_BOOLEAN | PDM_EXPR_TYPE_LIST)

typedef struct _PdmExpr PdmExpr;

/*
 * Says what a reference (${id}, or PDM_EXPR_SELF) stands for while an
 * expression is checked: the types its answer can have (without
 * PDM_EXPR_TYPE_NULL, which every answer can be) and, for a choice question,
 * the values of its options (NULL-terminated; NULL when any value goes).
 * Returns FALSE with @error set (a reason without position, such as "there is
 * no question “q9” in this form") when the reference is not allowed.
 */
typedef gboolean (*PdmExprResolveFunc) (const char          *id,
                                        PdmExprType         *out_type,
                                        const char * const **out_options,
                                        gpointer             user_data,
                                        GError             **error);

/*
 * Gives the answer a reference (${id}, or PDM_EXPR_SELF) stands for during an
 * evaluation: a node that stays alive until the evaluation returns, or NULL
 * for no answer.
 */
typedef JsonNode *(*PdmExprLookupFunc) (const char *id,
                                        gpointer    user_data);

#define PDM_TYPE_EXPR (pdm_expr_get_type ())

GType               pdm_expr_get_type        (void) G_GNUC_CONST;

PdmExpr            *pdm_expr_parse           (const char          *text,
                                              GError             **error);
PdmExpr            *pdm_expr_ref             (PdmExpr             *self);
void                pdm_expr_unref           (PdmExpr             *self);

const char         *pdm_expr_get_text        (PdmExpr             *self);
const char * const *pdm_expr_get_references  (PdmExpr             *self);
gboolean            pdm_expr_uses_self       (PdmExpr             *self);

PdmExprType         pdm_expr_check           (PdmExpr             *self,
                                              PdmExprResolveFunc   resolve,
                                              gpointer             user_data,
                                              GError             **error);

JsonNode           *pdm_expr_evaluate        (PdmExpr             *self,
                                              PdmExprLookupFunc    lookup,
                                              gpointer             user_data,
                                              GError             **error);

const char         *pdm_expr_type_to_string  (PdmExprType          type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmExpr, pdm_expr_unref)

G_END_DECLS
