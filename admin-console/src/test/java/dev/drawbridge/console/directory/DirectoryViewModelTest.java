package dev.drawbridge.console.directory;

import dev.drawbridge.console.FakeApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.UserView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryViewModelTest {
    final FakeApi api = new FakeApi();
    final SyncTasks tasks = new SyncTasks();
    final DirectoryViewModel vm = new DirectoryViewModel(new Session(api, "admin", List.of(), Permissions.ALL, Optional.empty()),
            tasks, tasks, 2);

    static UserView user(String upn) {
        return new UserView("id-" + upn, upn, upn, upn, null, true, true, false, null, List.of(), Instant.EPOCH);
    }

    static Map<String, Object> page(List<?> items, int offset, long total) {
        return Map.of("items", items, "offset", offset, "limit", 2, "total", total);
    }

    @Test
    void theServerSearchesAndLoadMoreAppendsTheNextPage() {
        api.answer("GET users?search=ann%20b&offset=0&limit=2", page(List.of(user("ann.b@x"), user("ann.bo@x")), 0, 3))
                .answer("GET users?search=ann%20b&offset=2&limit=2", page(List.of(user("ann.bz@x")), 2, 3));
        vm.searchProperty().set(" ann b ");
        vm.searchUsers();
        assertThat(vm.users().items()).extracting(UserView::upn).containsExactly("ann.b@x", "ann.bo@x");
        assertThat(vm.userPages().moreProperty().get()).isTrue();
        assertThat(vm.userPages().summaryProperty().get()).isEqualTo("2 of 3");
        vm.moreUsers();
        assertThat(vm.users().items()).extracting(UserView::upn).containsExactly("ann.b@x", "ann.bo@x", "ann.bz@x");
        assertThat(vm.userPages().moreProperty().get()).isFalse();
        assertThat(vm.userPages().summaryProperty().get()).isEqualTo("3");

        // A new search starts from the first page again.
        api.answer("GET users?offset=0&limit=2", page(List.of(user("a@x"), user("b@x")), 0, 1500));
        vm.searchProperty().set("");
        vm.searchUsers();
        assertThat(vm.users().items()).hasSize(2);
        assertThat(vm.userPages().summaryProperty().get()).isEqualTo("2 of 1,500");
    }

    @Test
    void groupsAreSearchedByTheServerToo() {
        api.answer("GET groups?search=fin&offset=0&limit=2", page(List.of(Map.of("id", "g1", "name", "Finance", "members", 2)), 0, 1));
        vm.groupSearchProperty().set("fin");
        vm.searchGroups();
        assertThat(vm.groups().items()).extracting(g -> g.name()).containsExactly("Finance");
        assertThat(vm.groupPages().moreProperty().get()).isFalse();
    }
}
