/**
 * The engine's public request types that are not trace events: what a caller asks the engine to change while it
 * runs ({@link io.moescope.model.api.Intervention}). The app uses these, never {@code model.layer} or
 * {@code model.tensor} (checked by the app's ArchitectureTest).
 */
package io.moescope.model.api;
