trigger ConfItemTrigger on Conf_Item__c(before insert, after insert, before update, after update, before delete, after delete, after undelete) {
    if (ConfSupport.traceTriggers) {
        String event = (Trigger.isBefore ? 'before' : 'after') + ' ' +
            (Trigger.isInsert ? 'insert' : Trigger.isUpdate ? 'update' : Trigger.isDelete ? 'delete' : 'undelete');
        System.debug(event + ' new=' + (Trigger.new == null ? 'null' : String.valueOf(Trigger.new.size())) +
            ' old=' + (Trigger.old == null ? 'null' : String.valueOf(Trigger.old.size())) +
            ' newMap=' + (Trigger.newMap == null ? 'null' : String.valueOf(Trigger.newMap.size())) +
            ' oldMap=' + (Trigger.oldMap == null ? 'null' : String.valueOf(Trigger.oldMap.size())) +
            ' size=' + Trigger.size);
    }
    if (Trigger.isBefore && Trigger.isInsert) {
        ConfSupport.beforeInsertRuns++;
        ConfSupport.beforeInsertSizes.add(Trigger.new.size());
        if (ConfSupport.createConfigOnce) {
            if (!ConfSupport.configCreated) {
                insert new Conf_Config__c(SetupOwnerId = UserInfo.getOrganizationId(), Level__c = 7);
                ConfSupport.configCreated = true;
            }
            System.enqueueJob(new ConfJobs.RecordJob('from trigger'));
        }
        if (ConfSupport.rejectFirstEachRun) {
            Trigger.new[0].addError('Rejected first ' + Trigger.new[0].Title__c);
        }
    }
    if (Trigger.isBefore && (Trigger.isInsert || Trigger.isUpdate)) {
        for (Conf_Item__c item : Trigger.new) {
            if (item.Note__c == null) {
                item.Note__c = 'auto';
            }
            if (item.Title__c == null && ConfSupport.defaultTitle != null) {
                item.Title__c = ConfSupport.defaultTitle;
            }
            if (item.Code__c != null && ConfSupport.rejectCodes.contains(item.Code__c)) {
                if (ConfSupport.rejectOnField) {
                    item.Title__c.addError('Rejected title ' + item.Code__c);
                } else {
                    item.addError('Rejected code ' + item.Code__c);
                }
            }
        }
    }
    if (Trigger.isBefore && Trigger.isUpdate && ConfSupport.traceNotes) {
        for (Conf_Item__c item : Trigger.new) {
            System.debug(Trigger.oldMap.get(item.Id).Note__c + ' -> ' + item.Note__c);
        }
    }
    if (Trigger.isBefore && Trigger.isDelete) {
        for (Conf_Item__c item : Trigger.old) {
            if (item.Code__c != null && ConfSupport.undeletableCodes.contains(item.Code__c)) {
                item.addError('Cannot delete ' + item.Code__c);
            }
        }
    }
    if (Trigger.isAfter && Trigger.isInsert && ConfSupport.modifyInAfter) {
        Trigger.new[0].Note__c = 'changed after';
    }
}
