package dev.drawbridge.console.directory;

import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.UserView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final DirectoryViewModel vm = new DirectoryViewModel(api.session(),
            tasks, tasks, 2);

    static UserView user(String upn) {
        return new UserView("id-" + upn, upn, upn, upn, null, true, true, false, null, List.of(), Instant.EPOCH);
    }

    void hasUsers(String... upns) {
        for (String upn : upns) {
            UserView u = user(upn);
            api.users.put(u.id(), u);
        }
    }

    @Test
    void theServerSearchesAndLoadMoreAppendsTheNextPage() {
        hasUsers("ann.b@x", "ann.bo@x", "bob@x", "ann.bz@x");
        vm.searchProperty().set(" ann.b ");
        vm.searchUsers();
        assertThat(api.args("users.list")).containsExactly(new Paging(0, 2), new Users.Search("ann.b"));
        assertThat(vm.users().items()).extracting(UserView::upn).containsExactly("ann.b@x", "ann.bo@x");
        assertThat(vm.userPages().moreProperty().get()).isTrue();
        assertThat(vm.userPages().summaryProperty().get()).isEqualTo("2 of 3");
        vm.moreUsers();
        assertThat(api.args("users.list")).containsExactly(new Paging(2, 2), new Users.Search("ann.b"));
        assertThat(vm.users().items()).extracting(UserView::upn).containsExactly("ann.b@x", "ann.bo@x", "ann.bz@x");
        assertThat(vm.userPages().moreProperty().get()).isFalse();
        assertThat(vm.userPages().summaryProperty().get()).isEqualTo("3");

        // A new search starts from the first page again.
        for (int i = 0; i < 1496; i++) {
            hasUsers("user" + i + "@x");
        }
        vm.searchProperty().set("");
        vm.searchUsers();
        assertThat(api.args("users.list")).containsExactly(new Paging(0, 2), Users.Search.ALL);
        assertThat(vm.users().items()).extracting(UserView::upn).containsExactly("ann.b@x", "ann.bo@x");
        assertThat(vm.userPages().summaryProperty().get()).isEqualTo("2 of 1,500");
    }

    @Test
    void groupsAreSearchedByTheServerToo() {
        api.groups.put("g1", new GroupView("g1", "Finance", null, null, 2, Instant.EPOCH));
        api.groups.put("g2", new GroupView("g2", "Sales", null, null, 5, Instant.EPOCH));
        vm.groupSearchProperty().set("fin");
        vm.searchGroups();
        assertThat(vm.groups().items()).extracting(g -> g.name()).containsExactly("Finance");
        assertThat(vm.groupPages().moreProperty().get()).isFalse();
    }
}
