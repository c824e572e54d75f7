/** Request validation with Jakarta Bean Validation: {@link dev.spindle.validation.Validation}. */
package dev.spindle.validation;
