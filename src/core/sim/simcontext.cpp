#include "simcontext.h"

namespace relaybench {

SimContext::SimContext(SimProfile profile)
{
    m_clock.start();
    setProfile(std::move(profile));
}

std::shared_ptr<const SimProfile> SimContext::profile() const
{
    QMutexLocker lock(&m_mutex);
    return m_profile;
}

void SimContext::setProfile(SimProfile profile)
{
    m_limiter.configure(profile.rateLimit);
    auto shared = std::make_shared<const SimProfile>(std::move(profile));
    QMutexLocker lock(&m_mutex);
    m_profile = std::move(shared);
}

} // namespace relaybench
