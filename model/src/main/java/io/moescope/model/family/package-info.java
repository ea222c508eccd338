/**
 * One description per MoE model family ({@link io.moescope.model.family.ModelFamily}): config keys, tensor names and
 * layouts, layer parts, routing rule and GGUF names, looked up by {@code model_type} in
 * {@link io.moescope.model.family.Families}. Descriptions are data plus small rules; building layers from them is
 * the runtime loader's job, and no reader code (safetensors or GGUF) belongs here.
 */
package io.moescope.model.family;
