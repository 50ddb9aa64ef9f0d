package dev.drawbridge.cli;

import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.UserView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code drawbridge groups ...}: directory groups and their members. */
@Command(name = "groups", description = "Directory groups: list, show, create, delete, members, add-member, remove-member.",
        subcommands = {GroupCommands.ListCommand.class, GroupCommands.Show.class, GroupCommands.Create.class, GroupCommands.Delete.class,
                GroupCommands.Members.class, GroupCommands.AddMember.class, GroupCommands.RemoveMember.class})
final class GroupCommands {
    private GroupCommands() {
    }

    static String groupId(ApiCommand c, String key) throws Exception {
        return c.resolve(() -> c.api().groups().list(Paging.LARGEST, new Users.Search(key)).items(), "group", key, "name");
    }

    @Command(name = "list", description = "List groups.")
    static final class ListCommand extends ApiCommand {
        @Mixin
        PagingOptions paging;
        @Option(names = "--search", paramLabel = "TEXT", description = "Only those whose name or description contains TEXT (any case)")
        String search;

        @Override
        protected int execute() throws Exception {
            output().list(api().groups().list(paging.page(), new Users.Search(search)), Columns.GROUPS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one group (by name or id).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        protected int execute() throws Exception {
            return show(api().groups().get(groupId(this, group)));
        }
    }

    @Command(name = "create", description = "Create a group; with --rule its members follow the rule.")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--description")
        String description;
        @Option(names = "--rule", paramLabel = "RULE", description = "Dynamic membership rule, e.g. \"department eq 'HR'\"")
        String rule;

        @Override
        protected int execute() throws Exception {
            GroupView g = api().groups().create(new GroupBody(name, description, rule));
            output().changed("Created group " + label(g, "name"), g, g.id());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a group (its assignments go with it).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        protected int execute() throws Exception {
            String id = groupId(this, group);
            api().groups().delete(id);
            return deleted("Deleted group " + group, id);
        }
    }

    @Command(name = "members", description = "List a group's members.")
    static final class Members extends ApiCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        protected int execute() throws Exception {
            output().list(api().groups().members(groupId(this, group)), Columns.USERS);
            return 0;
        }
    }

    /** A group and a user: what add-member and remove-member both take. */
    abstract static class MemberCommand extends ApiCommand {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;
        @Parameters(index = "1", paramLabel = "USER", description = "UPN or id")
        String user;
    }

    @Command(name = "add-member", description = "Add a user to a group.")
    static final class AddMember extends MemberCommand {
        @Override
        protected int execute() throws Exception {
            String id = groupId(this, group);
            List<UserView> members = api().groups().addMember(id, new MemberBody(user));
            output().changed("Added " + user + " to group " + group, members, id);
            return 0;
        }
    }

    @Command(name = "remove-member", description = "Remove a user from a group.")
    static final class RemoveMember extends MemberCommand {
        @Override
        protected int execute() throws Exception {
            String id = groupId(this, group);
            String userId = resolve(() -> api().groups().members(id), "member of " + group, user, "upn");
            api().groups().removeMember(id, userId);
            output().changed("Removed " + user + " from group " + group, null, id);
            return 0;
        }
    }
}
