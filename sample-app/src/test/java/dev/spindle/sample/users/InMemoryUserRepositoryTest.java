package dev.spindle.sample.users;

class InMemoryUserRepositoryTest extends UserRepositoryContract {

    @Override
    UserRepository repository() {
        return UserRepository.inMemory();
    }
}
