/** Implementation details of the test safety nets; free to change. */
package dev.spindle.testsupport.internal;
