/** Implementation details of the test kit; free to change. */
package dev.spindle.test.internal;
