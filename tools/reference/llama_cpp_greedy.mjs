// Greedy continuation by a recent llama.cpp (the npm package node-llama-cpp 3.21.1, CPU) of token ids on a GGUF file:
//   cd DIR_WITH_node_modules && node llama_cpp_greedy.mjs FILE.gguf 73 71 6 78 103   → JSON list of up to 16 ids
// (it stops early at an end-of-generation token). Recorded in model/src/test/resources/gguf/models/llama_cpp_greedy.json.
import {getLlama} from "node-llama-cpp";
const [file, ...ids] = process.argv.slice(2);
const llama = await getLlama({gpu: false, logLevel: "error"});
const model = await llama.loadModel({modelPath: file});
const ctx = await model.createContext({contextSize: 64, threads: 1});
const seq = ctx.getSequence();
const out = [];
for await (const t of seq.evaluate(ids.map(Number), {temperature: 0})) {
  out.push(t);
  if (out.length >= 16) break;
}
console.log(JSON.stringify(out));
process.exit(0);
