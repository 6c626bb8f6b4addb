#include "test_support.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace em_test {

static std::string env(const char *name)
{
    const char *v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

static std::string repo() { return env("EDGE_MICRO_REPO").empty() ? std::string(".") : env("EDGE_MICRO_REPO"); }

std::string corpus_dir()
{
    std::string dir = env("EDGE_MICRO_CORPUS");
    if (dir.empty()) {
        dir = repo() + "/../shared/corpus";
    }
    return file_exists(dir + "/MANIFEST.md") ? dir : std::string();
}

std::string emm_dir()
{
    std::string dir = env("EDGE_MICRO_EMM_DIR");
    return dir.empty() ? repo() + "/build/emm" : dir;
}

bool in_ci() { return env("CI") == "true"; }

std::vector<uint8_t> read_file(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

bool file_exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_dirs(const std::string &path)
{
    std::vector<std::string> names;
    if (DIR *d = opendir(path.c_str())) {
        while (dirent *e = readdir(d)) {
            std::string name = e->d_name;
            if (name != "." && name != ".." && file_exists(path + "/" + name + "/input.bin")) {
                names.push_back(name);
            }
        }
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace em_test
