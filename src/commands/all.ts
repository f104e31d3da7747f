// Loads every command family, in a fixed order (command ids follow it).
import './string_family';
import './keyspace_family';
import './server_family';
