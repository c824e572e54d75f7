/** Extension points of the core module, implemented by other modules and integrators. */
package dev.spindle.core.spi;
