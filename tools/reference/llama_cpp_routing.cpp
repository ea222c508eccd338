// llama.cpp's own routing and greedy continuation on a GGUF file, through libllama's graph-evaluation callback
// (the mechanism llama-eval-callback uses; that tool prints only the edges of large tensors and asks for logits of the
// last token only, which lets llama.cpp drop every other row from the last layer).
//
// Decodes the prompt in one batch with logits for every position, then 16 greedy tokens one at a time, and prints
// one JSON object: {"generated": [16 ids], "experts": {"<layer>": [[ids of ffn_moe_topk] per position]}, "logits":
// [[vocab floats] per prompt position]}, positions
// 0 .. prompt+15 (the routing of every prompt and generated token). Built and run by make_gguf_llama_refs.py:
//   g++ -std=c++17 -O1 -I$LLAMA/include -I$LLAMA/ggml/include llama_cpp_routing.cpp -L$LLAMA/build/bin \
//       -lllama -lggml -lggml-base -Wl,-rpath,$LLAMA/build/bin -o llama_cpp_routing
//   ./llama_cpp_routing FILE.gguf 73 71 6 78 103
// It builds unchanged against a recent llama.cpp's include/ and prebuilt shared libraries (make_gguf_llama_refs.py
// --prebuilt DIR), which load their CPU backend at run time from LLAMA_BACKEND_DIR.
#include "ggml-backend.h"
#include "ggml.h"
#include "llama.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

const int kNew = 16;

// layer -> one row of expert ids per evaluated position, in evaluation order
using Routing = std::map<int, std::vector<std::vector<int>>>;

bool onTensor(ggml_tensor* t, bool ask, void* data) {
    const char* prefix = "ffn_moe_topk-";
    if (std::strncmp(t->name, prefix, std::strlen(prefix)) != 0) {
        return ask ? false : true;
    }
    if (ask) {
        return true;
    }
    auto& routing = *static_cast<Routing*>(data);
    int layer = std::atoi(t->name + std::strlen(prefix));
    std::vector<char> bytes(ggml_nbytes(t));
    ggml_backend_tensor_get(t, bytes.data(), 0, bytes.size());
    for (int64_t tok = 0; tok < t->ne[1]; tok++) {      // t: ne = [k, n_tokens], i32, rows strided by nb[1]
        std::vector<int> row;
        for (int64_t j = 0; j < t->ne[0]; j++) {
            int32_t v;
            std::memcpy(&v, bytes.data() + tok * t->nb[1] + j * t->nb[0], sizeof v);
            row.push_back(v);
        }
        routing[layer].push_back(row);
    }
    return true;
}

int argmax(const float* v, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
        if (v[i] > v[best]) {
            best = i;
        }
    }
    return best;
}

void decode(llama_context* ctx, const std::vector<llama_token>& toks, int pos0) {
    llama_batch b = llama_batch_init((int32_t) toks.size(), 0, 1);
    for (size_t i = 0; i < toks.size(); i++) {
        b.token[i] = toks[i];
        b.pos[i] = pos0 + (int) i;
        b.n_seq_id[i] = 1;
        b.seq_id[i][0] = 0;
        b.logits[i] = 1;                                 // every row survives to the last layer
    }
    b.n_tokens = (int32_t) toks.size();
    if (llama_decode(ctx, b) != 0) {
        std::fprintf(stderr, "llama_decode failed\n");
        std::exit(1);
    }
    llama_batch_free(b);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s FILE.gguf ID...\n", argv[0]);
        return 2;
    }
    std::vector<llama_token> prompt;
    for (int i = 2; i < argc; i++) {
        prompt.push_back(std::atoi(argv[i]));
    }
    llama_backend_init();
    // a llama.cpp built with dynamic backends (the prebuilt libraries node-llama-cpp ships: one libggml-cpu-<isa>.so
    // per instruction set) registers none until they are loaded; LLAMA_BACKEND_DIR names their folder. Statically
    // linked backends (a plain c392e50 build) are registered already and this finds nothing more.
    const char* dir = std::getenv("LLAMA_BACKEND_DIR");
    if (dir != nullptr) {
        ggml_backend_load_all_from_path(dir);
    } else {
        ggml_backend_load_all();
    }
    llama_model* model = llama_model_load_from_file(argv[1], llama_model_default_params());
    if (model == nullptr) {
        return 1;
    }
    Routing routing;
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 64;
    cp.n_batch = 64;
    cp.n_ubatch = 64;
    cp.n_threads = 1;
    cp.n_threads_batch = 1;
    cp.cb_eval = onTensor;
    cp.cb_eval_user_data = &routing;
    llama_context* ctx = llama_init_from_model(model, cp);
    int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));

    decode(ctx, prompt, 0);
    std::vector<std::vector<float>> promptLogits;  // [prompt position][vocab]
    for (size_t t = 0; t < prompt.size(); t++) {
        const float* row = llama_get_logits_ith(ctx, (int32_t) t);
        promptLogits.emplace_back(row, row + n_vocab);
    }
    std::vector<int> gen;
    int next = argmax(llama_get_logits_ith(ctx, (int32_t) prompt.size() - 1), n_vocab);
    for (int i = 0; i < kNew; i++) {
        gen.push_back(next);
        decode(ctx, {next}, (int) prompt.size() + i);
        next = argmax(llama_get_logits_ith(ctx, 0), n_vocab);
    }

    std::printf("{\"generated\": [");
    for (size_t i = 0; i < gen.size(); i++) {
        std::printf("%s%d", i ? ", " : "", gen[i]);
    }
    std::printf("], \"experts\": {");
    bool firstLayer = true;
    for (const auto& [layer, rows] : routing) {
        std::printf("%s\"%d\": [", firstLayer ? "" : ", ", layer);
        firstLayer = false;
        for (size_t t = 0; t < rows.size(); t++) {
            std::printf("%s[", t ? ", " : "");
            for (size_t j = 0; j < rows[t].size(); j++) {
                std::printf("%s%d", j ? ", " : "", rows[t][j]);
            }
            std::printf("]");
        }
        std::printf("]");
    }
    std::printf("}, \"logits\": [");
    for (size_t t = 0; t < promptLogits.size(); t++) {
        std::printf("%s[", t ? ", " : "");
        for (size_t v = 0; v < promptLogits[t].size(); v++) {
            std::printf("%s%.9g", v ? ", " : "", promptLogits[t][v]);
        }
        std::printf("]");
    }
    std::printf("]}\n");
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
