// expect: the profile type has no nba::profile_traits
#include <nba/arbitrate.hpp>
#include <vector>
struct my_customer { int age; };
int main() {
    const std::vector<nba::offer> offers(1);
    (void)nba::arbitrate(my_customer{30}, offers, nba::no_scorer{});
}
