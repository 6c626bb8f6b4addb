// Shared helpers of the native test suite: locating the corpus and the converted models.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace em_test {

// The reference corpus (EDGE_MICRO_CORPUS or <repo>/../shared/corpus); "" when missing.
std::string corpus_dir();

// Folder of .emm files converted from the corpus by scripts/test.sh (EDGE_MICRO_EMM_DIR or <repo>/build/emm).
std::string emm_dir();

// True under CI=true: missing inputs fail instead of skipping.
bool in_ci();

std::vector<uint8_t> read_file(const std::string &path);
bool file_exists(const std::string &path);
std::vector<std::string> list_dirs(const std::string &path);

}  // namespace em_test

// Skips the test locally, fails it in CI, when a required path is missing.
#define EM_REQUIRE_PATH(path)                                                                       \
    do {                                                                                            \
        if ((path).empty() || !em_test::file_exists(path)) {                                        \
            if (em_test::in_ci()) {                                                                 \
                FAIL() << "missing " << (path) << " (run scripts/test.sh, which converts the corpus)"; \
            }                                                                                       \
            GTEST_SKIP() << "missing " << (path);                                                   \
        }                                                                                           \
    } while (0)
